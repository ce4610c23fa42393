import { randomUUID } from 'node:crypto';
import { type Envelope, type EventPayloads, parseEvent, type Subject } from '@hydra/contracts';

/** A payload without its envelope; `id` may be given to make a re-publish a no-op. */
export type EventInput<S extends Subject> = Omit<EventPayloads[S], keyof Envelope> & Partial<Envelope>;

/** The one way services publish events (JetStream in production, the in-process bus on one machine). */
export abstract class EventPublisher {
  /** Validates and publishes; resolves with the event as sent once the broker has stored it. */
  abstract publish<S extends Subject>(subject: S, input: EventInput<S>): Promise<EventPayloads[S]>;
}

/** Fills in the envelope and refuses to send anything its own subscribers would reject. */
export function buildEvent<S extends Subject>(subject: S, input: EventInput<S>): EventPayloads[S] {
  const parsed = parseEvent(subject, { id: randomUUID(), occurredAt: new Date().toISOString(), ...input });
  if (!parsed.ok) throw new Error(`refusing to publish: ${parsed.error}`);
  return parsed.value as EventPayloads[S];
}
