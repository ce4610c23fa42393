import { TrainingSet } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface LabeledImage {
  imageId: string;
  storageKey: string;
  label: string;
}

export type Split = TrainingSet['split'];

/** What a training set is drawn from, and the record of how it was split. */
@Injectable()
export class LabeledImagesRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The current expert label of every image of the plot type, less `Ignore`-like labels and held-out images. */
  async trainable(plotType: string): Promise<LabeledImage[]> {
    const rows: { image_id: string; storage_key: string; label: string }[] = await this.dataSource.query(
      `SELECT i.id AS image_id, i.storage_key, l.name AS label
         FROM image_label il
         JOIN image i ON i.id = il.image_id
         JOIN label l ON l.id = il.label_id
        WHERE i.plot_type = $1 AND NOT l.excluded_from_training AND i.training_weight > 0
        ORDER BY i.captured_at, i.id`,
      [plotType],
    );
    return rows.map((row) => ({ imageId: row.image_id, storageKey: row.storage_key, label: row.label }));
  }

  /** The plot type's label palette in position order: the order of a model's outputs. */
  async palette(plotType: string): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT l.name FROM plot_type_label p JOIN label l ON l.id = p.label_id
        WHERE p.plot_type = $1 ORDER BY p.position`,
      [plotType],
    );
    return rows.map((row) => row.name);
  }

  /** Records the split (replacing a resumed job's earlier one), so every metric traces to its images. */
  async recordSplit(jobId: string, images: (LabeledImage & { split: Split })[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(TrainingSet, { trainingJobId: jobId });
      for (let start = 0; start < images.length; start += 1000) {
        await manager.insert(
          TrainingSet,
          images.slice(start, start + 1000).map((image) => ({
            trainingJobId: jobId,
            imageId: image.imageId,
            split: image.split,
            label: image.label,
          })),
        );
      }
    });
  }
}
