import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Label } from './label.entity';
import type { PlotType } from './plot-type.entity';

/** The label palette of one plot type, in the order a model's outputs use. */
@Entity('plot_type_label')
@Index('plot_type_label_position_unique', ['plotType', 'position'], { unique: true })
@Index('plot_type_label_hotkey_unique', ['plotType', 'hotkey'], {
  unique: true,
  where: '"hotkey" IS NOT NULL',
})
export class PlotTypeLabel {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  plotType!: string;

  @PrimaryColumn({ type: 'integer' })
  labelId!: number;

  @ManyToOne('PlotType', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plot_type' })
  plotTypeRef?: Relation<PlotType>;

  @ManyToOne('Label', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'label_id' })
  label?: Relation<Label>;

  @Column({ type: 'smallint' })
  position!: number;

  /** The key a labeler presses for this label. */
  @Column({ type: 'char', length: 1, nullable: true })
  hotkey!: string | null;
}
