import { type RunConditionDto, Subjects } from '@hydra/contracts';
import { EventPublisher } from '@hydra/messaging';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { InternalServiceClient } from '../internal/internal-service.client';

/**
 * People's alarm actions reach the classifier (the alarm table's writer) through here, with the
 * authenticated name as the actor; the run condition goes out on NATS with it.
 */
@Injectable()
export class AlarmActionService {
  constructor(
    private readonly internal: InternalServiceClient,
    private readonly events: EventPublisher,
  ) {}

  /** The newest transition of every plot type's alarm, as the classifier keeps them. */
  async current(): Promise<unknown> {
    return (await this.internal.call('classifier', { method: 'GET', path: '/alarms' })).body;
  }

  async act(actor: Principal, plotType: string, action: string, body: object): Promise<unknown> {
    const path = `/alarms/${plotType}/${action}`;
    return (
      await this.internal.call('classifier', { method: 'POST', path, body: { ...body, by: actor.name } })
    ).body;
  }

  /** Goes out as `run.condition`, so every classifier replica and any other subscriber hears it. */
  async setCondition(actor: Principal, condition: RunConditionDto): Promise<{ id: string }> {
    const event = await this.events.publish(Subjects.runCondition, { ...condition, by: actor.name });
    return { id: event.id };
  }
}
