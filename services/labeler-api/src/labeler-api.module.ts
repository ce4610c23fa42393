import { infrastructureModules, type ServiceConnections } from '@hydra/service';
import { type DynamicModule, Module } from '@nestjs/common';
import { LabelController } from './labels/label.controller';
import { LabelService } from './labels/label.service';
import { LabelerApiEvents } from './labeler-api.events';
import { ModelLibraryController } from './models/model-library.controller';
import { ModelLibraryService } from './models/model-library.service';
import { TrainingController } from './training/training.controller';
import { TrainingService } from './training/training.service';

export const LABELER_API_SERVICE = 'labeler-api';

/** The REST API of the web app: labels, push-button training, the model library. */
@Module({})
export class LabelerApiModule {
  static forRoot(connections: ServiceConnections): DynamicModule {
    return {
      module: LabelerApiModule,
      imports: infrastructureModules(LABELER_API_SERVICE, connections),
      controllers: [LabelController, TrainingController, ModelLibraryController, LabelerApiEvents],
      providers: [LabelService, TrainingService, ModelLibraryService],
    };
  }
}
