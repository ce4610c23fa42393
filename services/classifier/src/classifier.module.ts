import { INTERNAL_API_TOKEN, infrastructureModules, type ServiceConnections } from '@hydra/service';
import { type DynamicModule, Module } from '@nestjs/common';
import { AlarmController } from './alarms/alarm.controller';
import { AlarmRepository } from './alarms/alarm.repository';
import { AlarmService } from './alarms/alarm.service';
import { CLASSIFIER_CONFIG, type ClassifierConfig } from './classifier.config';
import { ClassifierEvents } from './classifier.events';
import { ClassificationRepository } from './classification/classification.repository';
import { ClassificationService } from './classification/classification.service';
import { ModelHealthModule, ModelHealthProbe } from './models/model-health';
import { ModelRegistry } from './models/model-registry';
import { PlotTypeSettingsRepository } from './models/plot-type-settings.repository';

export const CLASSIFIER_SERVICE = 'classifier';

/** image.new → verdict → image.classified, alarms, collection for labeling. */
@Module({})
export class ClassifierModule {
  static forRoot(config: ClassifierConfig, connections: ServiceConnections): DynamicModule {
    return {
      module: ClassifierModule,
      imports: [
        ...infrastructureModules(CLASSIFIER_SERVICE, connections, [ModelHealthProbe]),
        ModelHealthModule,
      ],
      controllers: [ClassifierEvents, AlarmController],
      providers: [
        { provide: CLASSIFIER_CONFIG, useValue: config },
        { provide: INTERNAL_API_TOKEN, useValue: config.internalToken },
        PlotTypeSettingsRepository,
        ModelRegistry,
        ClassificationRepository,
        ClassificationService,
        AlarmRepository,
        AlarmService,
      ],
    };
  }
}
