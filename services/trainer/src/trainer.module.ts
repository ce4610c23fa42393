import { infrastructureModules, type ServiceConnections } from '@hydra/service';
import { type DynamicModule, Module } from '@nestjs/common';
import { DatasetBuilder } from './dataset/dataset-builder';
import { LabeledImagesRepository } from './dataset/labeled-images.repository';
import { StaleJobSweeper } from './jobs/stale-job.sweeper';
import { TrainingJobRepository } from './jobs/training-job.repository';
import { TRAINER_CONFIG, type TrainerConfig } from './trainer.config';
import { TrainerEvents } from './trainer.events';
import { ModelRepository } from './training/model.repository';
import { TrainingRunService } from './training/training-run.service';

export const TRAINER_SERVICE = 'trainer';

/** training.requested → balanced, split dataset → train → validate → model.trained. */
@Module({})
export class TrainerModule {
  static forRoot(config: TrainerConfig, connections: ServiceConnections): DynamicModule {
    return {
      module: TrainerModule,
      imports: infrastructureModules(TRAINER_SERVICE, connections),
      controllers: [TrainerEvents],
      providers: [
        { provide: TRAINER_CONFIG, useValue: config },
        TrainingJobRepository,
        StaleJobSweeper,
        LabeledImagesRepository,
        DatasetBuilder,
        ModelRepository,
        TrainingRunService,
      ],
    };
  }
}
