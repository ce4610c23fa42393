import { Image, Model, ModelThreshold, PlotType } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type NewModel = Pick<
  Model,
  | 'id'
  | 'plotType'
  | 'architecture'
  | 'status'
  | 'rejectionReason'
  | 'parentModelId'
  | 'trainingJobId'
  | 'labels'
  | 'inputShape'
  | 'artifactPrefix'
  | 'metrics'
  | 'trainedBy'
>;

/** Models the trainer records, and what it reads about plot types and earlier models. */
@Injectable()
export class ModelRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  plotType(name: string): Promise<PlotType | null> {
    return this.dataSource.getRepository(PlotType).findOneBy({ name });
  }

  model(id: string): Promise<Model | null> {
    return this.dataSource.getRepository(Model).findOneBy({ id });
  }

  /** The size of the plot type's latest image, what its plots look like now; undefined before the first. */
  async latestImageSize(plotType: string): Promise<{ width: number; height: number } | undefined> {
    const image = await this.dataSource.getRepository(Image).findOne({
      where: { plotType },
      order: { capturedAt: 'DESC', id: 'DESC' },
      select: { width: true, height: true },
    });
    return image ? { width: image.width, height: image.height } : undefined;
  }

  /** The model and its max-F1 thresholds, together or not at all. */
  async insert(model: NewModel, thresholds: Record<string, number>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.save(Model, manager.create(Model, model));
      await manager.insert(
        ModelThreshold,
        Object.entries(thresholds).map(([label, threshold]) => ({
          modelId: model.id,
          label,
          threshold,
          setBy: 'max_f1',
          reason: 'maximum F1 on the validation images',
          setAt: new Date(),
        })),
      );
    });
  }
}
