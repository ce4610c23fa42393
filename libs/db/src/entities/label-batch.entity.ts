import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { CreatedAtColumn, PlotTypeNameColumn } from './columns';
import type { PlotType } from './plot-type.entity';
import type { User } from './user.entity';

/** One audited labeling action: who labeled what, when, and what each image was before. */
@Entity('label_batch')
@Index('label_batch_plot_type_created_at', ['plotType', 'createdAt'])
// A labeler's own batches, newest first: undo and the leaderboard.
@Index('label_batch_user_plot_type_created_at', ['userId', 'plotType', 'createdAt'])
// An image's label history looks batches up by `items @> [{imageId}]`; a GIN index TypeORM cannot declare.
@Index('label_batch_items', { synchronize: false })
@Index('label_batch_undoes_batch_id_unique', ['undoesBatchId'], { unique: true })
export class LabelBatch {
  /** Chosen by the client, so a retried submission is recognised and not applied twice. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @PlotTypeNameColumn()
  plotType!: string;

  @ManyToOne('PlotType', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'plot_type' })
  plotTypeRef?: Relation<PlotType>;

  /** `[{imageId, label, previousLabel}]`; a null label (only in an undo) leaves the image unlabeled. */
  @Column({ type: 'jsonb' })
  items!: { imageId: string; label: string | null; previousLabel: string | null }[];

  /** The batch this one undoes; unique, so a batch is undone at most once. */
  @Column({ type: 'uuid', nullable: true })
  undoesBatchId!: string | null;

  @ManyToOne('LabelBatch', { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'undoes_batch_id' })
  undoes?: Relation<LabelBatch> | null;

  @CreatedAtColumn()
  createdAt!: Date;
}
