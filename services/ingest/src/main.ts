import 'reflect-metadata';
import { transportFromEnv } from '@hydra/messaging';
import { objectStoreFromEnv } from '@hydra/storage';
import { createIngestApp } from './ingest.app';
import { ingestConfigFromEnv } from './ingest.config';

async function main() {
  const config = ingestConfigFromEnv();
  const app = await createIngestApp(config, {
    databaseUrl: config.databaseUrl,
    transport: transportFromEnv(),
    store: () => objectStoreFromEnv(),
  });
  await app.listen(config.port);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
