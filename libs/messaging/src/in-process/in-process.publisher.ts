import type { EventPayloads, Subject } from '@hydra/contracts';
import { buildEvent, type EventInput, EventPublisher } from '../event-publisher';
import type { InProcessBus } from './in-process.bus';

export class InProcessPublisher extends EventPublisher {
  constructor(private readonly bus: InProcessBus) {
    super();
  }

  async publish<S extends Subject>(subject: S, input: EventInput<S>): Promise<EventPayloads[S]> {
    const event = buildEvent(subject, input);
    this.bus.publish(subject, JSON.stringify(event), event.id);
    return event;
  }
}
