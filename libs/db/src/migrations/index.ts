import { InitialSchema1795727949422 } from './1795727949422-InitialSchema';
import { RunCondition1795736225553 } from './1795736225553-RunCondition';

/** In the order they apply; `npm run migration:generate -w @hydra/db` writes new ones beside this file. */
export const migrations = [InitialSchema1795727949422, RunCondition1795736225553];
