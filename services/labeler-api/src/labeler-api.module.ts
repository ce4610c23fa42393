import { infrastructureModules, type ServiceConnections } from '@hydra/service';
import { type DynamicModule, Module } from '@nestjs/common';
import { AlarmActionController } from './alarms/alarm-action.controller';
import { AlarmActionService } from './alarms/alarm-action.service';
import { AuthModule } from './auth/auth.module';
import { InternalServiceClient } from './internal/internal-service.client';
import { ImageUploadController } from './uploads/image-upload.controller';
import type { LabelerApiConfig } from './labeler-api.config';
import { ImageExplanationController } from './images/image-explanation.controller';
import { ImageExplanationService } from './images/image-explanation.service';
import { ImagesModule } from './images/images.module';
import { LabelsModule } from './labels/labels.module';
import { LabelerApiEvents } from './labeler-api.events';
import { LiveModule } from './live/live.module';
import { LogModule } from './log/log.module';
import { ModelLibraryController } from './models/model-library.controller';
import { ModelLibraryService } from './models/model-library.service';
import { PlotTypesModule } from './plot-types/plot-types.module';
import { QueueModule } from './queue/queue.module';
import { RunModule } from './run/run.module';
import { StatusModule } from './status/status.module';
import { TrainingController } from './training/training.controller';
import { TrainingService } from './training/training.service';

export const LABELER_API_SERVICE = 'labeler-api';

/** The one door for people and machines: accounts, labels, training, the model library, live updates. */
@Module({})
export class LabelerApiModule {
  static forRoot(connections: ServiceConnections, config: LabelerApiConfig): DynamicModule {
    return {
      module: LabelerApiModule,
      imports: [
        ...infrastructureModules(LABELER_API_SERVICE, connections),
        AuthModule.forRoot(config),
        RunModule,
        LogModule,
        StatusModule,
        PlotTypesModule,
        LabelsModule,
        ImagesModule,
        QueueModule,
        LiveModule,
      ],
      controllers: [
        TrainingController,
        ModelLibraryController,
        AlarmActionController,
        ImageUploadController,
        ImageExplanationController,
        LabelerApiEvents,
      ],
      providers: [
        TrainingService,
        ModelLibraryService,
        AlarmActionService,
        ImageExplanationService,
        InternalServiceClient,
      ],
    };
  }
}
