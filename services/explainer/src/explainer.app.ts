import { getPriority, setPriority } from 'node:os';
import { initialiseBackend } from '@hydra/ml';
import { createServiceApp, type ServiceConnections } from '@hydra/service';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ExplainerConfig } from './explainer.config';
import { EXPLAINER_SERVICE, ExplainerModule } from './explainer.module';

/** The explainer, consuming confirmed Bad verdicts and requests, but not yet listening on its port. */
export async function createExplainerApp(
  config: ExplainerConfig,
  connections: ServiceConnections,
): Promise<NestExpressApplication> {
  // Never slow the classifier down where both share a machine.
  if (config.nice > 0) setPriority(Math.max(getPriority(), config.nice));
  // Grad-CAM needs gradients: TensorFlow.js on the fastest backend this machine has.
  const backend = await initialiseBackend();
  const app = await createServiceApp(EXPLAINER_SERVICE, ExplainerModule.forRoot(config, connections), {
    logger: connections.logger,
  });
  new Logger('Explainer').log(`TensorFlow.js backend: ${backend}`);
  return app;
}
