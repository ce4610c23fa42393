import { Subjects } from '@hydra/contracts';
import { imageNewPayload } from '@hydra/db';
import { EventPublisher } from '@hydra/messaging';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  ImageOutboxRepository,
  type OutboxBacklog,
  type PendingAnnouncement,
} from './image-outbox.repository';
import { measureOutboxWith } from './ingest.metrics';

/** Announcements claimed per transaction. */
const BATCH = 100;
/** First wait after the broker refused or timed out; it doubles up to RETRY_MAX_MS. */
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5_000;
/** How often rows that nobody kicked for (another replica crashed after its commit) are looked for. */
const SWEEP_MS = 5_000;

/**
 * Publishes `image.new` for every row of the outbox, oldest first, and removes each row once the
 * broker has acknowledged it. Each image's id is its event id and `Nats-Msg-Id`, so a re-publish
 * (a crash between the broker's ack and the commit, a timed-out publish the client still delivered
 * after reconnecting) is dropped by JetStream inside the stream's duplicate window; past it the
 * classifier's unique keys make it harmless. Replicas share the table through `FOR UPDATE SKIP
 * LOCKED`: no leader to elect or lose, a crashed replica's claim ends with its connection, and two
 * replicas never hold the same row; each publishes its claim in order. While the broker is away
 * the relay retries with back-off; uploads and the watcher never wait for it.
 */
@Injectable()
export class ImageOutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ImageOutboxRelay.name);
  private draining: Promise<void> | null = null;
  private kickedWhileDraining = false;
  private retry: NodeJS.Timeout | null = null;
  private retryMs = 0;
  private sweep: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Why the last attempt failed; null once the broker acknowledges again. */
  private failure: string | null = null;

  constructor(
    private readonly outbox: ImageOutboxRepository,
    private readonly events: EventPublisher,
  ) {}

  /** Sends what an earlier run (or a crashed replica) left behind. */
  onApplicationBootstrap(): void {
    measureOutboxWith(() => this.outbox.backlog());
    this.sweep = setInterval(() => this.kick(), SWEEP_MS);
    this.sweep.unref();
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.sweep) clearInterval(this.sweep);
    if (this.retry) clearTimeout(this.retry);
    await this.draining;
  }

  /** Starts sending soon without waiting: called after each commit that queued an announcement. */
  kick(): void {
    // A scheduled retry sends everything pending when it fires.
    if (this.stopped || this.retry) return;
    if (this.draining) {
      this.kickedWhileDraining = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.kickedWhileDraining) this.kick();
    });
  }

  /** The broker's trouble while announcements wait, for the health check; null when all is well. */
  async degradation(): Promise<(OutboxBacklog & { reason: string }) | null> {
    const failure = this.failure;
    if (failure === null) return null;
    const backlog = await this.outbox.backlog();
    return backlog.count > 0 ? { ...backlog, reason: failure } : null;
  }

  private async drain(): Promise<void> {
    try {
      let claimed: number;
      let limit: number;
      do {
        this.kickedWhileDraining = false;
        // After a refusal one announcement probes the broker, rather than a batch piling up in
        // the client's reconnect buffer on every retry.
        limit = this.failure === null ? BATCH : 1;
        const refusals: unknown[] = [];
        const batch = await this.outbox.sendPending(limit, async (pending) => {
          // Sent in order on one connection; the acknowledgements are awaited together.
          const results = await Promise.allSettled(pending.map((item) => this.announce(item)));
          for (const result of results) if (result.status === 'rejected') refusals.push(result.reason);
          return pending
            .filter((_, index) => results[index]?.status === 'fulfilled')
            .map((item) => item.outboxId);
        });
        // The acknowledged ones are gone; the rest wait for the retry.
        if (refusals.length) throw refusals[0];
        claimed = batch.claimed;
        if (this.failure !== null) {
          this.logger.log('the broker takes image.new again');
          this.failure = null;
          this.retryMs = 0;
        }
      } while (claimed === limit && !this.stopped);
    } catch (error) {
      this.kickedWhileDraining = false;
      const reason = error instanceof Error ? error.message : String(error);
      if (this.failure === null) this.logger.warn(`image.new waits in the outbox: ${reason}`);
      this.failure = reason;
      if (this.stopped) return;
      this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs ? this.retryMs * 2 : RETRY_MIN_MS);
      this.retry = setTimeout(() => {
        this.retry = null;
        this.kick();
      }, this.retryMs);
      this.retry.unref();
    }
  }

  private async announce({ image, queuedAt }: PendingAnnouncement): Promise<void> {
    await this.events.publish(Subjects.imageNew, {
      // The image id as message id: JetStream drops a re-announcement inside its duplicate window.
      id: image.id,
      occurredAt: queuedAt.toISOString(),
      ...imageNewPayload(image),
    });
  }
}
