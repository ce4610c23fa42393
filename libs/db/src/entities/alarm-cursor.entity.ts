import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { PlotType } from './plot-type.entity';

/**
 * How far the alarm of a plot type has read its verdicts: the sort key of the last verdict it
 * evaluated (when it was stored, when the plot was captured, the verdict's id). Every newer verdict
 * is evaluated once and in order, so three Bad in a row raise the alarm even when a Good is stored
 * before the alarm had its turn.
 */
@Entity('alarm_cursor')
export class AlarmCursor {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  plotType!: string;

  @OneToOne('PlotType', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plot_type' })
  plotTypeRef?: Relation<PlotType>;

  @Column({ type: 'timestamptz' })
  classifiedAt!: Date;

  @Column({ type: 'timestamptz' })
  capturedAt!: Date;

  @Column({ type: 'uuid' })
  classificationId!: string;
}
