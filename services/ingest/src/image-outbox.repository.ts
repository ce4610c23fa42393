import { Image, ImageOutbox } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';

/** A stored image whose `image.new` the broker has not acknowledged yet. */
export interface PendingAnnouncement {
  outboxId: string;
  image: Image;
  queuedAt: Date;
}

export interface OutboxBacklog {
  count: number;
  /** Age of the oldest pending announcement; 0 when there is none. */
  oldestSeconds: number;
}

/** The `image_outbox` rows: written with the image (ImageRepository), read and removed by the relay. */
@Injectable()
export class ImageOutboxRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Holds up to `limit` of the oldest pending announcements that no other replica holds (SKIP
   * LOCKED) while `send` runs, then removes those `send` returns as acknowledged, in one
   * transaction: a crash before the commit leaves them pending, to be sent again.
   */
  async sendPending(
    limit: number,
    send: (pending: PendingAnnouncement[]) => Promise<string[]>,
  ): Promise<{ claimed: number; sent: number }> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager
        .getRepository(ImageOutbox)
        .createQueryBuilder('outbox')
        .innerJoinAndSelect('outbox.image', 'image')
        .orderBy('outbox.id')
        .limit(limit)
        // Only the outbox rows: the image rows stay free for their other writers.
        .setLock('pessimistic_write', undefined, ['outbox'])
        .setOnLocked('skip_locked')
        .getMany();
      const pending = rows.map((row) => ({
        outboxId: row.id,
        image: row.image as Image,
        queuedAt: row.createdAt,
      }));
      const sent = pending.length ? await send(pending) : [];
      if (sent.length) await manager.delete(ImageOutbox, { id: In(sent) });
      return { claimed: rows.length, sent: sent.length };
    });
  }

  /** Every replica's pending announcements together. */
  async backlog(): Promise<OutboxBacklog> {
    const [row] = (await this.dataSource.query(
      'SELECT count(*)::int AS count, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest FROM image_outbox',
    )) as { count: number; oldest: number }[];
    return { count: row?.count ?? 0, oldestSeconds: row?.oldest ?? 0 };
  }
}
