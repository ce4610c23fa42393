import { deadLetterSubject } from '@hydra/contracts';
import { buildDeadLetter, type DeliveryOutcome, type InboundDelivery } from '../delivery';
import type { DeliveryPolicy } from '../delivery-policy';
import { subjectMatches } from '../subject-match';

type Deliver = (delivery: InboundDelivery) => Promise<DeliveryOutcome>;

/** How many recent message ids the bus remembers to drop re-publishes, like JetStream's window. */
const DUPLICATE_WINDOW = 100_000;

/**
 * The single-machine stand-in for JetStream when no NATS is reachable: same subjects, validation,
 * retries and dead letters, one queue per consumer group; nothing survives the process.
 */
export class InProcessBus {
  private readonly queues: ConsumerQueue[] = [];
  private readonly recentIds = new Set<string>();
  private readonly listeners = new Set<(delivery: InboundDelivery) => void>();
  private sequence = 0;

  /** The sequence of the last message published, as a stream's last sequence. */
  get lastSequence(): number {
    return this.sequence;
  }

  /** Returns false when the id was seen recently and the message was dropped. */
  publish(subject: string, payload: string, messageId: string): boolean {
    if (this.recentIds.has(messageId)) return false;
    this.recentIds.add(messageId);
    if (this.recentIds.size > DUPLICATE_WINDOW)
      this.recentIds.delete(this.recentIds.values().next().value as string);
    const sequence = ++this.sequence;
    for (const listener of this.listeners) listener({ subject, attempt: 1, sequence, messageId, payload });
    for (const queue of this.queues) {
      if (subjectMatches(queue.pattern, subject))
        queue.push({ subject, attempt: 1, sequence, messageId, payload });
    }
    return true;
  }

  /** Hears every message as it is published, in order (the live feed); returns how to stop. */
  listen(listener: (delivery: InboundDelivery) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Registers a consumer group; returns a function that stops it once its running handlers finish. */
  consume(consumer: string, pattern: string, policy: DeliveryPolicy, deliver: Deliver): () => Promise<void> {
    const queue = new ConsumerQueue(consumer, pattern, policy, deliver, (delivery, reason) => {
      const deadLetter = buildDeadLetter(delivery, consumer, reason);
      this.publish(
        deadLetterSubject(delivery.subject),
        JSON.stringify(deadLetter),
        `${consumer}:${delivery.sequence}`,
      );
    });
    this.queues.push(queue);
    return async () => {
      this.queues.splice(this.queues.indexOf(queue), 1);
      await queue.stop();
    };
  }

  /** Each consumer group's messages waiting and being handled, for the status page's lag. */
  queueDepths(): { consumer: string; pattern: string; waiting: number; running: number }[] {
    return this.queues.map((queue) => ({
      consumer: queue.consumer,
      pattern: queue.pattern,
      ...queue.depth(),
    }));
  }
}

class ConsumerQueue {
  private readonly waiting: InboundDelivery[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    readonly consumer: string,
    readonly pattern: string,
    private readonly policy: DeliveryPolicy,
    private readonly deliver: Deliver,
    private readonly deadLetter: (delivery: InboundDelivery, reason: string) => void,
  ) {}

  push(delivery: InboundDelivery): void {
    if (this.stopped) return;
    this.waiting.push(delivery);
    this.drain();
  }

  depth(): { waiting: number; running: number } {
    return { waiting: this.waiting.length, running: this.running.size };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.all(this.running);
  }

  private drain(): void {
    while (!this.stopped && this.running.size < this.policy.concurrency && this.waiting.length > 0) {
      const delivery = this.waiting.shift() as InboundDelivery;
      const task = this.handle(delivery).finally(() => {
        this.running.delete(task);
        this.drain();
      });
      this.running.add(task);
    }
  }

  private async handle(delivery: InboundDelivery): Promise<void> {
    const outcome = await this.deliver(delivery);
    if (outcome.kind === 'retry') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.push({ ...delivery, attempt: delivery.attempt + 1 });
      }, outcome.delayMs);
      this.timers.add(timer);
    } else if (outcome.kind === 'dead-letter') {
      this.deadLetter(delivery, outcome.reason);
    }
  }
}
