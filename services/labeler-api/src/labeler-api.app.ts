import { createServiceApp, type ServiceConnections } from '@hydra/service';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { LabelerApiConfig } from './labeler-api.config';
import { LABELER_API_SERVICE, LabelerApiModule } from './labeler-api.module';

/** labeler-api, initialised but not yet listening on its port. */
export function createLabelerApiApp(
  _config: LabelerApiConfig,
  connections: ServiceConnections,
): Promise<NestExpressApplication> {
  return createServiceApp(LABELER_API_SERVICE, LabelerApiModule.forRoot(connections), {
    logger: connections.logger,
  });
}
