import { DatabaseHealthProbe, DatabaseModule } from '@hydra/db';
import {
  type DeliveryPolicy,
  deliveryFromEnv,
  BrokerTolerantHealthProbe,
  MessagingHealthProbe,
  MessagingModule,
  startEventConsumers,
  type TransportChoice,
  transportFromEnv,
} from '@hydra/messaging';
import { createLogger, type HealthProbe, NestPinoLogger, ObservabilityModule } from '@hydra/runtime';
import {
  type ObjectStore,
  ObjectStoreHealthProbe,
  ObjectStoreModule,
  objectStoreFromEnv,
} from '@hydra/storage';
import { type DynamicModule, Logger, type LoggerService, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { isIP } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { stopWithLog } from './service-shutdown';

/** What every Hydra service is wired to: one database, one broker, one object store. */
export interface ServiceConnections {
  databaseUrl: string;
  transport: TransportChoice;
  store: ObjectStore | (() => Promise<ObjectStore>);
  /** Database connections this process may hold. */
  poolSize?: number;
  /** Overrides of the consumers' retry and acknowledgement timing. */
  delivery?: Partial<DeliveryPolicy>;
  /** Nest's logger; a pino logger named after the service when absent, `false` for silence. */
  logger?: LoggerService | false;
}

/**
 * The shared modules of a service: database, messaging, object store, `/health` and `/metrics`;
 * `probes` adds the service's own readiness checks (their dependencies must come from global modules).
 */
export function infrastructureModules(
  service: string,
  connections: ServiceConnections,
  probes: Type<HealthProbe>[] = [],
  /** The service keeps working while the broker is away: a broker outage degrades it, not unready. */
  { toleratesBrokerOutage = false } = {},
): DynamicModule[] {
  return [
    DatabaseModule.forRoot({ url: connections.databaseUrl, poolSize: connections.poolSize }),
    MessagingModule.forRoot({ service, transport: connections.transport, delivery: connections.delivery }),
    ObjectStoreModule.forRoot(connections.store),
    ObservabilityModule.forRoot({
      service,
      probes: [
        DatabaseHealthProbe,
        toleratesBrokerOutage ? BrokerTolerantHealthProbe : MessagingHealthProbe,
        ObjectStoreHealthProbe,
        ...probes,
      ],
    }),
  ];
}

export interface ServiceAppOptions {
  logger?: ServiceConnections['logger'];
  /** Express settings that must precede initialisation (body parsers). */
  configure?: (app: NestExpressApplication) => void;
}

/**
 * Builds and initialises a service's Nest application around `module`, with its event consumers
 * running; the caller listens on its port. SIGTERM drains the consumers and closes the connections,
 * with a log line when the service begins to stop and one when it has stopped.
 */
export async function createServiceApp(
  service: string,
  module: Type | DynamicModule,
  options: ServiceAppOptions = {},
): Promise<NestExpressApplication> {
  const logger = options.logger ?? new NestPinoLogger(createLogger(service));
  const app = await NestFactory.create<NestExpressApplication>(module, { logger });
  stopWithLog(service, app);
  options.configure?.(app);
  await startEventConsumers(app);
  await app.init();
  return app;
}

/**
 * The address a service listens on: `HOST`, else loopback only, so a service started by hand on a
 * shared machine is not reachable from the network by accident (containers set `HOST=0.0.0.0`).
 */
export function listenHost(env: NodeJS.ProcessEnv): string {
  const host = env.HOST?.trim() || '127.0.0.1';
  if (isIP(host) === 0 && host !== 'localhost')
    throw new Error(
      `invalid configuration:\n  HOST: must be an IP address, e.g. 0.0.0.0 or 127.0.0.1 (got "${host}")`,
    );
  return host;
}

/**
 * A service's `main`: configuration and connections from the environment (a clear message and
 * exit code 1 when they are wrong), then the app on its port.
 */
export function runService<C extends { port: number; databaseUrl: string }>(
  configFromEnv: () => C,
  createApp: (config: C, connections: ServiceConnections) => Promise<NestExpressApplication>,
): void {
  const start = async () => {
    const config = configFromEnv();
    const app = await createApp(config, {
      databaseUrl: config.databaseUrl,
      transport: transportFromEnv(),
      delivery: deliveryFromEnv(),
      store: () => objectStoreFromEnv(),
    });
    await app.listen(config.port, listenHost(process.env));
    new Logger('Service').log(`listening on ${await app.getUrl()}`);
  };
  start().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
