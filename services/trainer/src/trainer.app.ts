import { createServiceApp, type ServiceConnections } from '@hydra/service';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TrainerConfig } from './trainer.config';
import { TRAINER_SERVICE, TrainerModule } from './trainer.module';

/**
 * The trainer, consuming training requests, but not yet listening on its port. Each job trains on a
 * worker thread that picks its own TensorFlow.js backend; this thread keeps the event loop free.
 */
export function createTrainerApp(
  config: TrainerConfig,
  connections: ServiceConnections,
): Promise<NestExpressApplication> {
  return createServiceApp(TRAINER_SERVICE, TrainerModule.forRoot(config, connections), {
    logger: connections.logger,
  });
}
