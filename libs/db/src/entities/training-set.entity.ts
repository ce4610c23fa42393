import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { LabelNameColumn } from './columns';
import type { Image } from './image.entity';
import type { TrainingJob } from './training-job.entity';

export const DATASET_SPLITS = ['train', 'validation', 'test'] as const;

/** Which split each image was in for one training job, so every metric traces to its images. */
@Entity('training_set')
@Index('training_set_job_split', ['trainingJobId', 'split'])
export class TrainingSet {
  @PrimaryColumn({ type: 'uuid' })
  trainingJobId!: string;

  @PrimaryColumn({ type: 'uuid' })
  imageId!: string;

  @ManyToOne('TrainingJob', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'training_job_id' })
  trainingJob?: Relation<TrainingJob>;

  @ManyToOne('Image', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'image_id' })
  image?: Relation<Image>;

  @Column({ type: 'enum', enum: DATASET_SPLITS, enumName: 'dataset_split' })
  split!: (typeof DATASET_SPLITS)[number];

  /** The expert label when the set was drawn; later relabels do not rewrite history. */
  @LabelNameColumn()
  label!: string;
}
