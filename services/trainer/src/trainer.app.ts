import { initialiseBackend } from '@hydra/ml';
import { createServiceApp, type ServiceConnections } from '@hydra/service';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TrainerConfig } from './trainer.config';
import { TRAINER_SERVICE, TrainerModule } from './trainer.module';

/** The trainer, consuming training requests, but not yet listening on its port. */
export async function createTrainerApp(
  config: TrainerConfig,
  connections: ServiceConnections,
): Promise<NestExpressApplication> {
  // Training runs on TensorFlow.js: the fastest backend this machine has.
  const backend = await initialiseBackend();
  const app = await createServiceApp(TRAINER_SERVICE, TrainerModule.forRoot(config, connections), {
    logger: connections.logger,
  });
  new Logger('Trainer').log(`TensorFlow.js backend: ${backend}`);
  return app;
}
