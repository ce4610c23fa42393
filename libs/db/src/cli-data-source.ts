// The data source the TypeORM CLI uses to generate migrations: `npm run migration:generate -w @hydra/db`.
import { createDataSource } from './data-source';

export default createDataSource(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hydra_dev');
