import { Logger } from '@nestjs/common';
import { type ConsumerMessages, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import type { JetStreamConnection } from '../jetstream/jetstream.connection';
import { decodeFeedEvent, matchesAny } from './feed-event';
import type { FeedEvent, LiveFeed, LiveFeedOptions, LiveFeedSource, ReplayResult } from './live-feed';

/** A replay that has not reached the stream's end by then has failed (the server is unwell). */
const REPLAY_TIMEOUT_MS = 30_000;

/**
 * The live feed over JetStream ordered consumers: ephemeral, one per replica, no acks, recreated
 * by the client from the last sequence seen when the connection drops, so nothing is skipped.
 */
export class JetStreamLiveFeedSource implements LiveFeedSource {
  private readonly logger = new Logger('LiveFeed');

  constructor(private readonly connection: JetStreamConnection) {}

  async open(
    { subjects, afterSequence }: LiveFeedOptions,
    onEvent: (event: FeedEvent) => void,
  ): Promise<LiveFeed> {
    const start = afterSequence ?? (await this.streamState()).last_seq;
    const consumer = await this.orderedConsumer(subjects, start);
    let position = start;
    const messages = await consumer.consume({
      max_messages: 1000,
      // The callback runs synchronously per message, in stream order; it must never throw, or the
      // client would stop the consumer.
      callback: (message: JsMsg) => {
        position = message.seq;
        const event = this.decode(subjects, message);
        if (!event) return;
        try {
          onEvent(event);
        } catch (error) {
          this.logger.error(
            `live feed handler failed on ${event.subject} #${event.sequence}: ${String(error)}`,
          );
        }
      },
    });
    void messages.closed().then((error) => {
      if (error) this.logger.error(`live feed stopped: ${error.message}`);
    });
    return {
      get position() {
        return position;
      },
      close: async () => {
        await messages.close();
        await consumer.delete().catch(() => undefined);
      },
    };
  }

  async replay(subjects: readonly string[], afterSequence: number, limit: number): Promise<ReplayResult> {
    const { first_seq: first, last_seq: upTo } = await this.streamState();
    if (afterSequence > upTo)
      return {
        kind: 'gap',
        gap: 'unknown-sequence',
        message: `sequence ${afterSequence} is past the stream's end (${upTo}); was the stream recreated?`,
        upTo,
      };
    if (afterSequence === upTo) return { kind: 'events', events: [], upTo };
    if (afterSequence + 1 < first)
      return {
        kind: 'gap',
        gap: 'expired',
        message: `the events after ${afterSequence} are no longer kept (the stream starts at ${first})`,
        upTo,
      };
    const consumer = await this.orderedConsumer(subjects, afterSequence);
    try {
      const pending = (await consumer.info(true)).num_pending;
      if (pending === 0) return { kind: 'events', events: [], upTo };
      if (pending > limit)
        return {
          kind: 'gap',
          gap: 'too-many',
          message: `${pending} events since ${afterSequence}, more than the ${limit} a replay sends`,
          upTo,
        };
      const events = await this.readUntil(consumer, subjects, upTo);
      return { kind: 'events', events, upTo };
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  }

  /** Reads from the consumer until `upTo` or until nothing is pending, whichever is first. */
  private async readUntil(
    consumer: Awaited<ReturnType<JetStreamLiveFeedSource['orderedConsumer']>>,
    subjects: readonly string[],
    upTo: number,
  ): Promise<FeedEvent[]> {
    const events: FeedEvent[] = [];
    let messages: ConsumerMessages | undefined;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`replay did not reach sequence ${upTo} within ${REPLAY_TIMEOUT_MS} ms`)),
        REPLAY_TIMEOUT_MS,
      );
      void consumer
        .consume({
          max_messages: 1000,
          callback: (message: JsMsg) => {
            if (message.seq <= upTo) {
              const event = this.decode(subjects, message);
              if (event) events.push(event);
            }
            if (message.seq >= upTo || message.info.pending === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .then((started) => {
          messages = started;
        }, reject);
    });
    try {
      await done;
    } finally {
      await messages?.close();
    }
    return events;
  }

  private decode(subjects: readonly string[], message: JsMsg): FeedEvent | null {
    const subject = this.connection.logicalSubject(message.subject);
    // Without server-side filtering (NATS < 2.10 and several subjects) the filter is applied here.
    if (!matchesAny(subjects, subject)) return null;
    return decodeFeedEvent(message.seq, subject, message.string());
  }

  private orderedConsumer(subjects: readonly string[], afterSequence: number) {
    return this.connection.client.consumers.get(this.connection.options.stream, {
      filter_subjects: this.serverFilter(subjects),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: afterSequence + 1,
    });
  }

  /** Several filter subjects on one consumer need NATS 2.10; before that, everything in the namespace. */
  private serverFilter(subjects: readonly string[]): string | string[] {
    const wire = subjects.map((subject) => this.connection.wireSubject(subject));
    if (wire.length === 1) return wire[0] as string;
    const [major = 0, minor = 0] = (this.connection.nats.info?.version ?? '0.0').split('.').map(Number);
    if (major > 2 || (major === 2 && minor >= 10)) return wire;
    return this.connection.wireSubject('>');
  }

  private async streamState() {
    return (await this.connection.manager.streams.info(this.connection.options.stream)).state;
  }
}
