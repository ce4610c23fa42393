import {
  type ImageNewEvent,
  type ModelPromotedEvent,
  type RunConditionEvent,
  Subjects,
} from '@hydra/contracts';
import { Controller, Logger } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AlarmService } from './alarms/alarm.service';
import { ClassificationService } from './classification/classification.service';
import { ModelRegistry } from './models/model-registry';

/** The classifier's subscriptions; transport only, the services hold the rules. */
@Controller()
export class ClassifierEvents {
  private readonly logger = new Logger(ClassifierEvents.name);

  constructor(
    private readonly classification: ClassificationService,
    private readonly alarms: AlarmService,
    private readonly models: ModelRegistry,
  ) {}

  // Many at once, so the batch queue sees whatever is waiting.
  @EventPattern(Subjects.imageNew, { concurrency: 64, prefetch: 128 })
  imageNew(@Payload() image: ImageNewEvent): Promise<void> {
    return this.classification.classify(image);
  }

  /**
   * Loads the new model ahead of the next image; every replica also notices the change by itself.
   * One that cannot load is reported by the registry (health, monitoring.lost), not retried here.
   */
  @EventPattern(Subjects.modelPromoted)
  async modelPromoted(@Payload() promoted: ModelPromotedEvent): Promise<void> {
    const loaded = await this.models.get(promoted.plotType, promoted.modelId).then(
      () => true,
      () => false,
    );
    if (loaded) this.logger.log(`model ${promoted.modelId} is now in production for ${promoted.plotType}`);
  }

  @EventPattern(Subjects.runCondition)
  runCondition(@Payload() condition: RunConditionEvent): Promise<void> {
    return this.alarms.onCondition(condition);
  }
}
