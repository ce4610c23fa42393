import { infrastructureModules, type ServiceConnections } from '@hydra/service';
import { type DynamicModule, Module } from '@nestjs/common';
import { AlarmActionController } from './alarms/alarm-action.controller';
import { AlarmActionService } from './alarms/alarm-action.service';
import { AuthModule } from './auth/auth.module';
import type { LabelerApiConfig } from './labeler-api.config';
import { LabelController } from './labels/label.controller';
import { LabelService } from './labels/label.service';
import { LabelerApiEvents } from './labeler-api.events';
import { ModelLibraryController } from './models/model-library.controller';
import { ModelLibraryService } from './models/model-library.service';
import { TrainingController } from './training/training.controller';
import { TrainingService } from './training/training.service';

export const LABELER_API_SERVICE = 'labeler-api';

/** The one door for people and machines: accounts, labels, training, the model library, live updates. */
@Module({})
export class LabelerApiModule {
  static forRoot(connections: ServiceConnections, config: LabelerApiConfig): DynamicModule {
    return {
      module: LabelerApiModule,
      imports: [...infrastructureModules(LABELER_API_SERVICE, connections), AuthModule.forRoot(config)],
      controllers: [
        LabelController,
        TrainingController,
        ModelLibraryController,
        AlarmActionController,
        LabelerApiEvents,
      ],
      providers: [LabelService, TrainingService, ModelLibraryService, AlarmActionService],
    };
  }
}
