import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { CreatedAtColumn, PlotTypeNameColumn, TimeColumn, UserNameColumn } from './columns';
import type { PlotType } from './plot-type.entity';

export const TRAINING_JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/** One press of "Train". */
@Entity('training_job')
// Two requests for one plot type never train twice at the same time.
@Index('training_job_one_active_per_plot_type', ['plotType'], {
  unique: true,
  where: `"status" IN ('queued', 'running')`,
})
export class TrainingJob {
  /** Chosen by labeler-api and carried in `training.requested`. */
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @PlotTypeNameColumn()
  plotType!: string;

  @ManyToOne('PlotType', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'plot_type' })
  plotTypeRef?: Relation<PlotType>;

  @UserNameColumn()
  requestedBy!: string;

  @Column({ type: 'jsonb', default: {} })
  options!: Record<string, unknown>;

  @Column({ type: 'enum', enum: TRAINING_JOB_STATUSES, enumName: 'training_job_status', default: 'queued' })
  status!: (typeof TRAINING_JOB_STATUSES)[number];

  /** The latest training.progress payload. */
  @Column({ type: 'jsonb', nullable: true })
  progress!: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @TimeColumn({ nullable: true })
  startedAt!: Date | null;

  /** Refreshed while training; a stale one means the trainer died and the job is failed. */
  @TimeColumn({ nullable: true })
  heartbeatAt!: Date | null;

  @TimeColumn({ nullable: true })
  finishedAt!: Date | null;
}
