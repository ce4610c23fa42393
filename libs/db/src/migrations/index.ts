import { InitialSchema1795727949422 } from './1795727949422-InitialSchema';

/** In the order they apply; `npm run migration:generate -w @hydra/db` writes new ones beside this file. */
export const migrations = [InitialSchema1795727949422];
