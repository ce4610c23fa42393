import { initialiseBackend } from '@hydra/ml';
import { createServiceApp, type ServiceConnections } from '@hydra/service';
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ClassifierConfig } from './classifier.config';
import { CLASSIFIER_SERVICE, ClassifierModule } from './classifier.module';

/** The classifier, consuming image.new, but not yet listening on its port. */
export async function createClassifierApp(
  config: ClassifierConfig,
  connections: ServiceConnections,
): Promise<NestExpressApplication> {
  // TensorFlow.js reads the models (and judges with them when ONNX Runtime cannot load one).
  const backend = await initialiseBackend();
  const app = await createServiceApp(CLASSIFIER_SERVICE, ClassifierModule.forRoot(config, connections), {
    logger: connections.logger,
  });
  new Logger('Classifier').log(`TensorFlow.js backend: ${backend}`);
  return app;
}
