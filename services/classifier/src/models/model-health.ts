import { monitoringSubject } from '@hydra/contracts';
import { EventPublisher } from '@hydra/messaging';
import type { HealthProbe } from '@hydra/runtime';
import { Global, Injectable, Logger, Module } from '@nestjs/common';

/** A plot type that has a production model this replica cannot load, so none of its plots is judged. */
export interface LostMonitoring {
  plotType: string;
  modelId: string;
  reason: string;
  since: Date;
}

/**
 * Which plot types this replica cannot judge and why: `/health` reports them, and each loss and
 * recovery is published once on `monitoring.lost|restored.<plotType>` for the board and the shift.
 */
@Injectable()
export class ModelHealth {
  private readonly logger = new Logger(ModelHealth.name);
  private readonly lost = new Map<string, LostMonitoring>();
  private announcements: Promise<void> = Promise.resolve();

  constructor(private readonly events: EventPublisher) {}

  /** The production model of `plotType` cannot be loaded. */
  cannotJudge(plotType: string, modelId: string, reason: string): void {
    const known = this.lost.get(plotType);
    if (known?.modelId === modelId) {
      known.reason = reason;
      return;
    }
    this.lost.set(plotType, { plotType, modelId, reason, since: new Date() });
    this.logger.error(
      `${plotType} is not being judged: its production model ${modelId} cannot be loaded: ${reason}`,
    );
    this.announce('lost', plotType, modelId, reason);
  }

  /** `plotType` is judged again by `modelId`, or has no production model any more (null). */
  canJudge(plotType: string, modelId: string | null): void {
    if (!this.lost.delete(plotType)) return;
    this.logger.log(
      `${plotType} is judged again${modelId ? ` by model ${modelId}` : ' (it has no production model now)'}`,
    );
    this.announce('restored', plotType, modelId, null);
  }

  unmonitored(): LostMonitoring[] {
    return [...this.lost.values()];
  }

  // One after another, so a loss is never announced after the recovery that followed it.
  private announce(
    event: 'lost' | 'restored',
    plotType: string,
    modelId: string | null,
    reason: string | null,
  ) {
    this.announcements = this.announcements
      .then(async () => {
        await this.events.publish(monitoringSubject(event, plotType), {
          event,
          plotType,
          modelId,
          reason: reason?.slice(0, 2000) ?? null,
        });
      })
      .catch((error: unknown) =>
        this.logger.error(`monitoring.${event}.${plotType} was not published: ${(error as Error).message}`),
      );
  }
}

/** `/health` is down while any plot type with a production model cannot be judged. */
@Injectable()
export class ModelHealthProbe implements HealthProbe {
  readonly name = 'models';

  constructor(private readonly health: ModelHealth) {}

  async check(): Promise<void> {
    const lost = this.health.unmonitored();
    if (lost.length === 0) return;
    throw new Error(
      lost
        .map(
          ({ plotType, modelId, reason, since }) =>
            `${plotType} is not judged since ${since.toISOString()}: its production model ${modelId} cannot be loaded: ${reason}`,
        )
        .join('; '),
    );
  }
}

/** Global, so the probe ObservabilityModule builds finds the same ModelHealth as the registry. */
@Global()
@Module({ providers: [ModelHealth], exports: [ModelHealth] })
export class ModelHealthModule {}
