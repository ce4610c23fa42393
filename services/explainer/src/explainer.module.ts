import { infrastructureModules, type ServiceConnections } from '@hydra/service';
import { type DynamicModule, Module } from '@nestjs/common';
import { EXPLAINER_CONFIG, type ExplainerConfig } from './explainer.config';
import { ExplainerEvents } from './explainer.events';
import { ExplainerModels } from './explainer-models';
import { ExplanationController } from './explanation.controller';
import { ExplanationRepository } from './explanation.repository';
import { ExplanationService } from './explanation.service';

export const EXPLAINER_SERVICE = 'explainer';

/** Grad-CAM heat maps for Bad verdicts and on request. */
@Module({})
export class ExplainerModule {
  static forRoot(config: ExplainerConfig, connections: ServiceConnections): DynamicModule {
    return {
      module: ExplainerModule,
      imports: infrastructureModules(EXPLAINER_SERVICE, connections),
      controllers: [ExplainerEvents, ExplanationController],
      providers: [
        { provide: EXPLAINER_CONFIG, useValue: config },
        ExplanationRepository,
        ExplainerModels,
        ExplanationService,
      ],
    };
  }
}
