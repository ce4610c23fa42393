import 'reflect-metadata';
import { transportFromEnv } from '@hydra/messaging';
import { objectStoreFromEnv } from '@hydra/storage';
import { createClassifierApp } from './classifier.app';
import { classifierConfigFromEnv } from './classifier.config';

async function main() {
  const config = classifierConfigFromEnv();
  const app = await createClassifierApp(config, {
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
