import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { CreatedAtColumn, PlotTypeNameColumn } from './columns';
import type { PlotType } from './plot-type.entity';
import type { User } from './user.entity';

/** One audited labeling action: who labeled what, when, and what each image was before. */
@Entity('label_batch')
@Index('label_batch_plot_type_created_at', ['plotType', 'createdAt'])
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

  /** `[{imageId, label, previousLabel}]` */
  @Column({ type: 'jsonb' })
  items!: { imageId: string; label: string; previousLabel: string | null }[];

  @CreatedAtColumn()
  createdAt!: Date;
}
