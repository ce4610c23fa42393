import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { LabelNameColumn } from './columns';
import type { Image } from './image.entity';
import type { Model } from './model.entity';

/** One verdict: an image judged by one model (or by none: "no model"). */
@Entity('classification')
@Index('classification_image_model_unique', ['imageId', 'modelId'], { unique: true })
// NULLs are distinct in a unique index, so "no model" verdicts need their own.
@Index('classification_image_without_model_unique', ['imageId'], {
  unique: true,
  where: '"model_id" IS NULL',
})
@Index('classification_classified_at', ['classifiedAt'])
@Check('classification_confidence_range', `"confidence" BETWEEN 0 AND 1`)
export class Classification {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  imageId!: string;

  @ManyToOne('Image', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'image_id' })
  image?: Relation<Image>;

  @Column({ type: 'uuid', nullable: true })
  modelId!: string | null;

  @ManyToOne('Model', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'model_id' })
  model?: Relation<Model> | null;

  @LabelNameColumn()
  verdict!: string;

  @Column({ type: 'real' })
  confidence!: number;

  /** Every class probability, `{label: p}`. */
  @Column({ type: 'jsonb' })
  outputs!: Record<string, number>;

  /** The per-class confirmation thresholds in force when the verdict was given. */
  @Column({ type: 'jsonb' })
  thresholds!: Record<string, number>;

  @Column({ type: 'boolean' })
  confirmed!: boolean;

  @Column({ type: 'real' })
  latencyMs!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  classifiedAt!: Date;
}
