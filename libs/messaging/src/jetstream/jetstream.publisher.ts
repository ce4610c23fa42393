import type { EventPayloads, Subject } from '@hydra/contracts';
import { buildEvent, type EventInput, EventPublisher } from '../event-publisher';
import type { JetStreamConnection } from './jetstream.connection';

export class JetStreamPublisher extends EventPublisher {
  constructor(private readonly connection: JetStreamConnection) {
    super();
  }

  async publish<S extends Subject>(subject: S, input: EventInput<S>): Promise<EventPayloads[S]> {
    const event = buildEvent(subject, input);
    await this.connection.publish(subject, JSON.stringify(event), event.id);
    return event;
  }
}
