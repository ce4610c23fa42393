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
import { LabelNameColumn, PlotTypeNameColumn, TimeColumn, UserNameColumn } from './columns';
import {
  alarmEventKind,
  alarmSeverity,
  alarmState,
  type AlarmEventKind,
  type AlarmSeverity,
  type AlarmState,
} from '@hydra/contracts';
import type { Image } from './image.entity';
import type { PlotType } from './plot-type.entity';

/** One alarm transition; rows sharing an alarm_id tell one alarm's story, the newest is its state. */
@Entity('alarm')
@Index('alarm_plot_type_occurred_at', ['plotType', 'occurredAt'])
@Index('alarm_alarm_id', ['alarmId'])
@Check('alarm_confidence_range', `"confidence" IS NULL OR "confidence" BETWEEN 0 AND 1`)
export class Alarm {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  alarmId!: string;

  @PlotTypeNameColumn()
  plotType!: string;

  @ManyToOne('PlotType', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plot_type' })
  plotTypeRef?: Relation<PlotType>;

  @Column({ type: 'enum', enum: alarmEventKind.options, enumName: 'alarm_event' })
  event!: AlarmEventKind;

  @Column({ type: 'enum', enum: alarmState.options, enumName: 'alarm_state' })
  state!: AlarmState;

  @Column({ type: 'enum', enum: alarmSeverity.options, enumName: 'alarm_severity' })
  severity!: AlarmSeverity;

  /** When the alarm first became active. */
  @TimeColumn()
  since!: Date;

  @Column({ type: 'uuid', nullable: true })
  imageId!: string | null;

  @ManyToOne('Image', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'image_id' })
  image?: Relation<Image> | null;

  @LabelNameColumn({ nullable: true })
  verdict!: string | null;

  @Column({ type: 'real', nullable: true })
  confidence!: number | null;

  /** Who acknowledged, shelved or disabled; null for the classifier's own transitions. */
  @UserNameColumn({ nullable: true })
  by!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @TimeColumn({ nullable: true })
  shelvedUntil!: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;
}
