import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CreatedAtColumn } from './columns';
import type { Image } from './image.entity';
import type { Model } from './model.entity';

/** A Grad-CAM heat map of one image by the model that judged it. */
@Entity('explanation')
@Index('explanation_image_model_unique', ['imageId', 'modelId'], { unique: true })
export class Explanation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  imageId!: string;

  @ManyToOne('Image', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'image_id' })
  image?: Relation<Image>;

  @Column({ type: 'uuid' })
  modelId!: string;

  @ManyToOne('Model', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: Relation<Model>;

  /** `heatmaps/<imageId>/<modelId>.png` */
  @Column({ type: 'text' })
  heatmapKey!: string;

  @Column({ type: 'real' })
  computeMs!: number;

  @CreatedAtColumn()
  createdAt!: Date;
}
