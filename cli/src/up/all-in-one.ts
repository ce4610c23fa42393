/**
 * Every Hydra service in this one process, on one in-process bus (`hydra up` without a nats-server):
 * the same Nest apps as in production, each on its own port. Configured from the environment like
 * the services' own mains. Says `ready` over IPC; `stop` (or `hydra up` going away) closes the apps,
 * producers first.
 */
import 'reflect-metadata';
import { createClassifierApp, classifierConfigFromEnv } from '@hydra/classifier';
import { createExplainerApp, explainerConfigFromEnv } from '@hydra/explainer';
import { createIngestApp, ingestConfigFromEnv } from '@hydra/ingest';
import { createLabelerApiApp, labelerApiConfigFromEnv } from '@hydra/labeler-api';
import { deliveryFromEnv, InProcessBus } from '@hydra/messaging';
import { objectStoreFromEnv } from '@hydra/storage';
import { createTrainerApp, trainerConfigFromEnv } from '@hydra/trainer';
import type { ServiceName } from './service-environment';

type ServiceConnections = Parameters<typeof createIngestApp>[1];
type NestExpressApplication = Awaited<ReturnType<typeof createIngestApp>>;

interface ServiceEntry<C extends { port: number; databaseUrl: string }> {
  configFromEnv: () => C;
  createApp: (config: C, connections: ServiceConnections) => Promise<NestExpressApplication>;
}

const entry = <C extends { port: number; databaseUrl: string }>(value: ServiceEntry<C>) =>
  value as unknown as ServiceEntry<{ port: number; databaseUrl: string }>;

const SERVICES: Record<ServiceName, ServiceEntry<{ port: number; databaseUrl: string }>> = {
  classifier: entry({ configFromEnv: classifierConfigFromEnv, createApp: createClassifierApp }),
  explainer: entry({ configFromEnv: explainerConfigFromEnv, createApp: createExplainerApp }),
  trainer: entry({ configFromEnv: trainerConfigFromEnv, createApp: createTrainerApp }),
  'labeler-api': entry({ configFromEnv: labelerApiConfigFromEnv, createApp: createLabelerApiApp }),
  ingest: entry({ configFromEnv: ingestConfigFromEnv, createApp: createIngestApp }),
};

/** Consumers first: a message published before its consumer exists is lost on the in-process bus. */
const START_ORDER: ServiceName[] = ['classifier', 'explainer', 'trainer', 'labeler-api', 'ingest'];

async function main(): Promise<void> {
  // Validate every service's configuration before starting any.
  const configs = new Map(START_ORDER.map((name) => [name, SERVICES[name].configFromEnv()]));
  const bus = new InProcessBus();
  const store = await objectStoreFromEnv();
  const apps: [ServiceName, NestExpressApplication][] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const [, app] of [...apps].reverse()) await app.close().catch(() => undefined);
      process.exit(0);
    })());
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());

  for (const name of START_ORDER) {
    const config = configs.get(name) as { port: number; databaseUrl: string };
    const app = await SERVICES[name].createApp(config, {
      databaseUrl: config.databaseUrl,
      transport: { kind: 'in-process', bus },
      delivery: deliveryFromEnv(),
      store,
      // Five services share one database server: fewer connections each.
      poolSize: 4,
    });
    apps.push([name, app]);
    // The web app and the API listen where `hydra up --host` says; the others are internal.
    await app.listen(
      config.port,
      name === 'labeler-api' ? (process.env.HYDRA_PUBLIC_HOST ?? '127.0.0.1') : '127.0.0.1',
    );
  }
  process.send?.({ type: 'ready' });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
