import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Image } from './image.entity';
import type { LabelBatch } from './label-batch.entity';
import type { Label } from './label.entity';

/** The current expert label of an image; its history is in label_batch. */
@Entity('image_label')
@Index('image_label_label', ['labelId'])
export class ImageLabel {
  @PrimaryColumn({ type: 'uuid' })
  imageId!: string;

  @ManyToOne('Image', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'image_id' })
  image?: Relation<Image>;

  @Column({ type: 'integer' })
  labelId!: number;

  @ManyToOne('Label', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'label_id' })
  label?: Relation<Label>;

  @Column({ type: 'uuid' })
  batchId!: string;

  @ManyToOne('LabelBatch', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'batch_id' })
  batch?: Relation<LabelBatch>;

  @Column({ type: 'timestamptz' })
  labeledAt!: Date;
}
