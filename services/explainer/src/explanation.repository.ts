import { Classification, Explanation, Image } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Explanations (the explainer's table) and the image and verdict each one explains. */
@Injectable()
export class ExplanationRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  find(imageId: string, modelId: string): Promise<Explanation | null> {
    return this.dataSource.getRepository(Explanation).findOneBy({ imageId, modelId });
  }

  image(imageId: string): Promise<Image | null> {
    return this.dataSource.getRepository(Image).findOneBy({ id: imageId });
  }

  /** The verdict of that model, or without a model id the newest verdict any model gave. */
  verdict(imageId: string, modelId?: string): Promise<Classification | null> {
    return this.dataSource.getRepository(Classification).findOne({
      where: modelId ? { imageId, modelId } : { imageId },
      order: { classifiedAt: 'DESC' },
    });
  }

  /** Inserts, or returns the one another replica stored first. */
  async insert(explanation: Omit<Explanation, 'id' | 'createdAt' | 'image' | 'model'>): Promise<Explanation> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(Explanation)
      .values(explanation)
      .orIgnore()
      .execute();
    return this.dataSource
      .getRepository(Explanation)
      .findOneByOrFail({ imageId: explanation.imageId, modelId: explanation.modelId });
  }
}
