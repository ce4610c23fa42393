import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { TimeColumn, UserNameColumn } from './columns';
import type { Model } from './model.entity';

/** The confidence a verdict of one class needs to be confirmed, per model. */
@Entity('model_threshold')
@Check('model_threshold_range', `"threshold" BETWEEN 0 AND 1`)
export class ModelThreshold {
  @PrimaryColumn({ type: 'uuid' })
  modelId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  label!: string;

  @ManyToOne('Model', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'model_id' })
  model?: Relation<Model>;

  @Column({ type: 'real' })
  threshold!: number;

  /** `max_f1` when set by validation, else the user's name. */
  @UserNameColumn()
  setBy!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @TimeColumn()
  setAt!: Date;
}
