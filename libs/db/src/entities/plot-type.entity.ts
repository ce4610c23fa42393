import { alarmSeverity, type AlarmSeverity, type IgnoreRegionDto } from '@hydra/contracts';
import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { CreatedAtColumn, UpdatedAtColumn } from './columns';
import type { Model } from './model.entity';

/** A kind of monitoring plot, e.g. `FCAL_occupancy`; its settings and its production model. */
@Entity('plot_type')
@Check('plot_type_name_charset', `"name" ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'`)
@Check('plot_type_collect_percent_range', `"collect_percent" BETWEEN 0 AND 100`)
@Check('plot_type_alarm_delays_positive', `"alarm_on_delay" >= 1 AND "alarm_off_delay" >= 1`)
export class PlotType {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  groupName!: string | null;

  /** Chunked plots are cut per time slice (`_0007.png`), cumulative ones are not. */
  @Column({ type: 'boolean', default: false })
  chunked!: boolean;

  @Column({ type: 'boolean', default: false })
  hidden!: boolean;

  /** Percentage of images kept at random for labeling: the unbiased sample. */
  @Column({ type: 'double precision', default: 5 })
  collectPercent!: number;

  @Column({ type: 'uuid', nullable: true })
  activeModelId!: string | null;

  @ManyToOne('Model', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'active_model_id' })
  activeModel?: Relation<Model> | null;

  /** Who to call about this plot. */
  @Column({ type: 'text', nullable: true })
  contact!: string | null;

  /** Consecutive confirmed Bad verdicts that raise the alarm. */
  @Column({ type: 'integer', default: 3 })
  alarmOnDelay!: number;

  /** Consecutive Good verdicts that clear it. */
  @Column({ type: 'integer', default: 3 })
  alarmOffDelay!: number;

  @Column({ type: 'enum', enum: alarmSeverity.options, enumName: 'alarm_severity', default: 'major' })
  alarmSeverity!: AlarmSeverity;

  @Column({ type: 'boolean', default: true })
  alarmEnabled!: boolean;

  /** A candidate that passes every gate goes to production without a person. */
  @Column({ type: 'boolean', default: false })
  autoPromote!: boolean;

  /** Architecture and hyper-parameters a training request starts from. */
  @Column({ type: 'jsonb', default: {} })
  trainingDefaults!: Record<string, unknown>;

  /** Minimum test images per class, minimum Bad recall, allowed regression. */
  @Column({ type: 'jsonb', default: {} })
  trainingGates!: Record<string, unknown>;

  /** Rectangles (fractions of the image) the next training masks; a model keeps its own in its manifest. */
  @Column({ type: 'jsonb', default: [] })
  ignoreRegions!: IgnoreRegionDto[];

  @CreatedAtColumn()
  createdAt!: Date;

  @UpdatedAtColumn()
  updatedAt!: Date;
}
