import { Logger } from '@nestjs/common';
import type { InboundDelivery } from '../delivery';
import type { InProcessBus } from '../in-process/in-process.bus';
import { decodeFeedEvent, matchesAny } from './feed-event';
import type { FeedEvent, LiveFeed, LiveFeedOptions, LiveFeedSource, ReplayResult } from './live-feed';

/** Messages kept for replay, like a stream's retention; older ones are gone. */
export const IN_PROCESS_REPLAY_CAPACITY = 10_000;

type Listener = (delivery: InboundDelivery) => void;

const logger = new Logger('LiveFeed');

/**
 * The live feed on the single-machine bus: a listener that hears every message as it is published,
 * with the bus's sequence and a bounded buffer of recent messages for replay.
 */
export class InProcessLiveFeedSource implements LiveFeedSource {
  private readonly recent: InboundDelivery[] = [];
  private readonly listeners = new Set<Listener>();
  /** Everything up to this sequence is no longer (or never was) in `recent`. */
  private forgottenUpTo = 0;
  private position = 0;
  private stopRecording: (() => Promise<void>) | undefined;

  constructor(
    private readonly bus: InProcessBus,
    private readonly capacity = IN_PROCESS_REPLAY_CAPACITY,
  ) {}

  async open(
    { subjects, afterSequence }: LiveFeedOptions,
    onEvent: (event: FeedEvent) => void,
  ): Promise<LiveFeed> {
    this.startRecording();
    const start = afterSequence ?? this.position;
    if (start < this.forgottenUpTo)
      throw new Error(`the events after ${start} are no longer kept (kept from ${this.forgottenUpTo + 1})`);
    let position = start;
    const listener: Listener = (delivery) => {
      position = delivery.sequence as number;
      const event = decode(subjects, delivery);
      if (!event) return;
      try {
        onEvent(event);
      } catch (error) {
        logger.error(`live feed handler failed on ${event.subject} #${event.sequence}: ${String(error)}`);
      }
    };
    for (const delivery of this.recent) if ((delivery.sequence as number) > start) listener(delivery);
    this.listeners.add(listener);
    return {
      get position() {
        return position;
      },
      close: async () => {
        this.listeners.delete(listener);
      },
    };
  }

  async replay(subjects: readonly string[], afterSequence: number, limit: number): Promise<ReplayResult> {
    this.startRecording();
    const upTo = this.position;
    if (afterSequence > upTo)
      return {
        kind: 'gap',
        gap: 'unknown-sequence',
        message: `sequence ${afterSequence} is past the bus's last message (${upTo}); did the process restart?`,
        upTo,
      };
    if (afterSequence < this.forgottenUpTo)
      return {
        kind: 'gap',
        gap: 'expired',
        message: `the events after ${afterSequence} are no longer kept (kept from ${this.forgottenUpTo + 1})`,
        upTo,
      };
    const after = this.recent.filter((delivery) => (delivery.sequence as number) > afterSequence);
    if (after.length > limit)
      return {
        kind: 'gap',
        gap: 'too-many',
        message: `${after.length} messages since ${afterSequence}, more than the ${limit} a replay reads`,
        upTo,
      };
    const events = after.flatMap((delivery) => decode(subjects, delivery) ?? []);
    return { kind: 'events', events, upTo };
  }

  /** Stops recording; open feeds deliver nothing more. */
  async close(): Promise<void> {
    this.listeners.clear();
    await this.stopRecording?.();
  }

  /** On first use, so that services on a shared bus that never open a feed keep no buffer. */
  private startRecording(): void {
    if (this.stopRecording) return;
    this.position = this.forgottenUpTo = this.bus.lastSequence;
    const stop = this.bus.listen((delivery) => this.record(delivery));
    this.stopRecording = async () => void stop();
  }

  private record(delivery: InboundDelivery): void {
    this.position = delivery.sequence as number;
    this.recent.push(delivery);
    // Trimmed in batches so that a full buffer does not shift the array on every message.
    if (this.recent.length > this.capacity * 1.25) {
      const dropped = this.recent.splice(0, this.recent.length - this.capacity);
      this.forgottenUpTo = dropped.at(-1)?.sequence ?? this.forgottenUpTo;
    }
    for (const listener of this.listeners) listener(delivery);
  }
}

function decode(subjects: readonly string[], delivery: InboundDelivery): FeedEvent | null {
  if (!matchesAny(subjects, delivery.subject)) return null;
  return decodeFeedEvent(delivery.sequence as number, delivery.subject, delivery.payload);
}
