import type { KeepReason } from '@hydra/contracts';
import { Classification, Image } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { ALARM_LOCK_KEY } from '../alarms/alarm.repository';

const FOREIGN_KEY_VIOLATION = '23503';

export type NewClassification = Omit<Classification, 'id' | 'classifiedAt' | 'image' | 'model'>;

/** Verdicts (the classifier's table) and the keep flag it sets on images. */
@Injectable()
export class ClassificationRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Verdicts already given to any of these images (a redelivered message finds its own). */
  async findByImages(imageIds: string[]): Promise<Map<string, Classification>> {
    const rows = await this.dataSource.getRepository(Classification).findBy({ imageId: In(imageIds) });
    return new Map(rows.map((row) => [row.imageId, row]));
  }

  /** Why each of these images was kept for labeling (null: not kept). */
  async keepReasons(imageIds: string[]): Promise<Map<string, KeepReason | null>> {
    const rows = await this.dataSource
      .getRepository(Image)
      .find({ where: { id: In(imageIds) }, select: { id: true, keepReason: true } });
    return new Map(rows.map((row) => [row.id, row.keepReason]));
  }

  /**
   * Inserts the verdicts (of images of `plotTypes`) and returns those stored now; one another replica
   * stored first is kept, not duplicated. Each image stored now with a reason in `keepReasons` is
   * marked kept for labeling in the same transaction, so a verdict never lands without its keep flag.
   * Each plot type's alarm lock is held shared meanwhile and `classified_at` is read after it, so a
   * verdict is either committed before an alarm reads its plot type or stamped after that read
   * ended: the alarm's cursor never passes a verdict not yet visible.
   */
  async insert(
    rows: NewClassification[],
    plotTypes: string[],
    keepReasons: ReadonlyMap<string, KeepReason | null> = new Map(),
  ): Promise<Map<string, Classification>> {
    if (rows.length === 0) return new Map();
    const stored = await this.dataSource
      .transaction(async (manager) => {
        for (const plotType of [...new Set(plotTypes)].sort())
          await manager.query(`SELECT pg_advisory_xact_lock_shared(${ALARM_LOCK_KEY})`, [plotType]);
        const result = await manager
          .createQueryBuilder()
          .insert()
          .into(Classification)
          .values(rows.map((row) => ({ ...row, classifiedAt: () => 'clock_timestamp()' })))
          .orIgnore()
          .returning(['id', 'imageId', 'classifiedAt'])
          .execute();
        const inserted = result.raw as { id: string; image_id: string; classified_at: Date }[];
        const kept = inserted.flatMap(({ image_id }) => {
          const reason = keepReasons.get(image_id);
          return reason ? [{ imageId: image_id, reason }] : [];
        });
        if (kept.length > 0) {
          await manager.query(
            `UPDATE image SET keep = true, keep_reason = kept.reason::keep_reason
               FROM unnest($1::uuid[], $2::text[]) AS kept(id, reason)
              WHERE image.id = kept.id AND NOT image.keep`,
            [kept.map((entry) => entry.imageId), kept.map((entry) => entry.reason)],
          );
        }
        return inserted;
      })
      .catch((error: unknown) => {
        // An image (or model) deleted while it was being judged: say which.
        const cause = (error as { driverError?: { code?: string; detail?: string } }).driverError;
        if (cause?.code === FOREIGN_KEY_VIOLATION)
          throw new Error(`the verdict cannot be stored: ${cause.detail ?? (error as Error).message}`);
        throw error;
      });
    return new Map(
      stored.map(({ id, image_id, classified_at }) => {
        const row = rows.find((candidate) => candidate.imageId === image_id) as NewClassification;
        return [image_id, { ...row, id, classifiedAt: classified_at }];
      }),
    );
  }
}
