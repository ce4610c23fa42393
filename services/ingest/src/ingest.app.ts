import { createServiceApp, type ServiceConnections } from '@hydra/service';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IngestConfig } from './ingest.config';
import { INGEST_SERVICE, IngestModule } from './ingest.module';

/** The ingest service, initialised (watching its folders) but not yet listening on its port. */
export function createIngestApp(
  config: IngestConfig,
  connections: ServiceConnections,
): Promise<NestExpressApplication> {
  return createServiceApp(INGEST_SERVICE, IngestModule.forRoot(config, connections), {
    logger: connections.logger,
    configure: (app) =>
      app.useBodyParser('raw', {
        type: ['image/png', 'image/jpeg', 'application/octet-stream'],
        limit: config.limits.maxBytes,
      }),
  });
}
