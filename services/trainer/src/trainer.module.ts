import { infrastructureModules, type ServiceConnections } from '@hydra/service';
import { type DynamicModule, Module } from '@nestjs/common';
import { DatasetBuilder } from './dataset/dataset-builder';
import { LabeledImagesRepository } from './dataset/labeled-images.repository';
import { DeadLetteredJobsService } from './jobs/dead-lettered-jobs.service';
import { JobTurns } from './jobs/job-turns';
import { StaleJobSweeper } from './jobs/stale-job.sweeper';
import { TrainingJobRepository } from './jobs/training-job.repository';
import { TRAINER_CONFIG, type TrainerConfig } from './trainer.config';
import { TrainerEvents } from './trainer.events';
import { CandidateTrainingService } from './training/candidate-training.service';
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
        JobTurns,
        StaleJobSweeper,
        DeadLetteredJobsService,
        LabeledImagesRepository,
        DatasetBuilder,
        ModelRepository,
        CandidateTrainingService,
        TrainingRunService,
      ],
    };
  }
}
