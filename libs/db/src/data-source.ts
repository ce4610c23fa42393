import { DataSource, type DataSourceOptions } from 'typeorm';
import { databaseConnection } from './database-tls';
import { entities } from './entities';
import { migrations } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * Everything TypeORM needs to reach Hydra's schema at `url` (a postgres:// URL), over TLS as
 * `DATABASE_SSL_*` or the URL's `sslmode` say (see `databaseConnection`).
 */
export function dataSourceOptions(
  url: string,
  overrides: Partial<DataSourceOptions> = {},
  env: NodeJS.ProcessEnv = process.env,
): DataSourceOptions {
  const connection = databaseConnection(url, env);
  return {
    type: 'postgres',
    url: connection.url,
    ...(connection.ssl !== undefined && { ssl: connection.ssl }),
    entities,
    migrations,
    namingStrategy: new SnakeNamingStrategy(),
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    synchronize: false,
    ...overrides,
  } as DataSourceOptions;
}

export function createDataSource(
  url: string,
  overrides: Partial<DataSourceOptions> = {},
  env: NodeJS.ProcessEnv = process.env,
): DataSource {
  return new DataSource(dataSourceOptions(url, overrides, env));
}

/** Applies every pending migration; returns the names of those it ran (none when up to date). */
export async function migrate(url: string): Promise<string[]> {
  const dataSource = await createDataSource(url).initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
