import 'reflect-metadata';
import { transportFromEnv } from '@hydra/messaging';
import { objectStoreFromEnv } from '@hydra/storage';
import { createExplainerApp } from './explainer.app';
import { explainerConfigFromEnv } from './explainer.config';

async function main() {
  const config = explainerConfigFromEnv();
  const app = await createExplainerApp(config, {
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
