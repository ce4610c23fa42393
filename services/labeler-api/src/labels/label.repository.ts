import type { LeaderboardEntry } from '@hydra/contracts';
import { ImageLabel, Label, LabelBatch, PlotTypeLabel } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, IsNull } from 'typeorm';

/** One change of one image in the audit, with who made it. */
export interface LabelChangeRow {
  batch_id: string;
  user: string;
  created_at: Date;
  undoes_batch_id: string | null;
  label: string | null;
  previous_label: string | null;
}

/** Labels, palettes, the current label of each image and the audit of label batches. */
@Injectable()
export class LabelRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** Adds the labels that are missing; an existing one keeps its colour and description. */
  async seedLabels(labels: Omit<Label, 'id'>[]): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(Label).values(labels).orIgnore().execute();
  }

  labelsNamed(manager: EntityManager, names: string[]): Promise<Label[]> {
    return manager.findBy(Label, { name: In(names) });
  }

  palette(manager: EntityManager, plotType: string): Promise<PlotTypeLabel[]> {
    return manager.findBy(PlotTypeLabel, { plotType });
  }

  findBatch(manager: EntityManager, id: string): Promise<LabelBatch | null> {
    return manager.findOneBy(LabelBatch, { id });
  }

  /** The images of the plot type among `ids`, each with its current label. */
  imagesWithLabels(
    manager: EntityManager,
    ids: string[],
    plotType: string,
  ): Promise<{ id: string; previous: string | null }[]> {
    return manager.query(
      `SELECT i.id, l.name AS previous FROM image i
           LEFT JOIN image_label il ON il.image_id = i.id LEFT JOIN label l ON l.id = il.label_id
          WHERE i.id = ANY($1) AND i.plot_type = $2`,
      [ids, plotType],
    );
  }

  async insertBatch(
    manager: EntityManager,
    batch: Pick<LabelBatch, 'id' | 'userId' | 'plotType' | 'items'> &
      Partial<Pick<LabelBatch, 'undoesBatchId'>>,
  ): Promise<void> {
    await manager.insert(LabelBatch, batch);
  }

  /** Makes `labelId` the current label of each image, set by `batchId`. */
  async setLabels(
    manager: EntityManager,
    batchId: string,
    labels: { imageId: string; labelId: number }[],
  ): Promise<void> {
    if (!labels.length) return;
    const labeledAt = new Date();
    await manager.upsert(
      ImageLabel,
      labels.map((label) => ({ ...label, batchId, labeledAt })),
      ['imageId'],
    );
  }

  async clearLabels(manager: EntityManager, imageIds: string[]): Promise<void> {
    if (imageIds.length) await manager.delete(ImageLabel, { imageId: In(imageIds) });
  }

  /** The batch that set each image's current label. */
  async currentBatches(manager: EntityManager, imageIds: string[]): Promise<Map<string, string>> {
    const rows = await manager.findBy(ImageLabel, { imageId: In(imageIds) });
    return new Map(rows.map((row) => [row.imageId, row.batchId]));
  }

  /** The user's newest labeling batch (not an undo) on the plot type, locked against a concurrent undo. */
  latestOwnBatch(manager: EntityManager, userId: string, plotType: string): Promise<LabelBatch | null> {
    return manager.getRepository(LabelBatch).findOne({
      where: { userId, plotType, undoesBatchId: IsNull() },
      order: { createdAt: 'DESC', id: 'DESC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  undoOf(manager: EntityManager, batchId: string): Promise<LabelBatch | null> {
    return manager.findOneBy(LabelBatch, { undoesBatchId: batchId });
  }

  /** Every change of the image's label, newest first. */
  history(imageId: string, plotType: string): Promise<LabelChangeRow[]> {
    return this.dataSource.query(
      `SELECT b.id AS batch_id, u.name AS user, b.created_at, b.undoes_batch_id,
              item->>'label' AS label, item->>'previousLabel' AS previous_label
         FROM label_batch b
         JOIN "user" u ON u.id = b.user_id
        CROSS JOIN LATERAL jsonb_array_elements(b.items) AS item
        WHERE b.plot_type = $1 AND b.items @> $2::jsonb AND item->>'imageId' = $3
        ORDER BY b.created_at DESC, b.id DESC`,
      [plotType, JSON.stringify([{ imageId }]), imageId],
    );
  }

  /** Images labeled per user on the plot type; undos and the batches they undid do not count. */
  async leaderboard(plotType: string): Promise<LeaderboardEntry[]> {
    const rows: { user: string; total: number; last_seven_days: number; last_labeled_at: Date }[] =
      await this.dataSource.query(
        `SELECT u.name AS user, sum(jsonb_array_length(b.items))::int AS total,
                coalesce(sum(jsonb_array_length(b.items))
                  FILTER (WHERE b.created_at >= now() - interval '7 days'), 0)::int AS last_seven_days,
                max(b.created_at) AS last_labeled_at
           FROM label_batch b
           JOIN "user" u ON u.id = b.user_id
          WHERE b.plot_type = $1 AND b.undoes_batch_id IS NULL
            AND NOT EXISTS (SELECT 1 FROM label_batch undo WHERE undo.undoes_batch_id = b.id)
          GROUP BY u.name
          ORDER BY total DESC, u.name`,
        [plotType],
      );
    return rows.map((row) => ({
      user: row.user,
      total: row.total,
      lastSevenDays: row.last_seven_days,
      lastLabeledAt: row.last_labeled_at.toISOString(),
    }));
  }
}
