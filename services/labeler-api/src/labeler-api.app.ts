import { createServiceApp, type ServiceConnections } from '@hydra/service';
import { LocalObjectStore, serveSignedObjects } from '@hydra/storage';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mountApiDocs } from './api-docs/api-docs';
import type { LabelerApiConfig } from './labeler-api.config';
import { LABELER_API_SERVICE, LabelerApiModule } from './labeler-api.module';
import { NulCharacterPipe } from './nul-character.pipe';
import { serveWebApp } from './web-app';

/** Routes outside `/api`: probes and metrics for the cluster, signed object links of the local store. */
export const UNPREFIXED = ['health', 'health/live', 'metrics'];
export const API_PREFIX = 'api';
const JSON_BODY_LIMIT = '2mb';

/** labeler-api, initialised but not yet listening on its port. */
export async function createLabelerApiApp(
  config: LabelerApiConfig,
  connections: ServiceConnections,
): Promise<NestExpressApplication> {
  const store = typeof connections.store === 'function' ? await connections.store() : connections.store;
  return createServiceApp(LABELER_API_SERVICE, LabelerApiModule.forRoot({ ...connections, store }, config), {
    logger: connections.logger,
    configure: (app) => {
      // A label batch of the documented 10,000 items is about 0.8 MB of JSON.
      app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
      app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED });
      app.useGlobalPipes(new NulCharacterPipe());
      mountApiDocs(app, API_PREFIX, UNPREFIXED);
      // The local store's links (heat maps from the explainer) are checked for signature and expiry here.
      if (store instanceof LocalObjectStore) app.use('/objects', serveSignedObjects(store));
      if (config.webDir) serveWebApp(app, config.webDir);
    },
  });
}
