import { modelArchitecture, type ModelArchitecture } from '@hydra/contracts';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CreatedAtColumn, PlotTypeNameColumn, TimeColumn, UserNameColumn } from './columns';
import type { PlotType } from './plot-type.entity';
import type { TrainingJob } from './training-job.entity';

/** Production is not a status: it is `plot_type.active_model_id`, so there is one truth. */
export const MODEL_STATUSES = ['candidate', 'rejected', 'retired'] as const;

/** A trained, validated model of one plot type; artifacts under `models/<plotType>/<id>/`. */
@Entity('model')
@Index('model_plot_type_created_at', ['plotType', 'createdAt'])
export class Model {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @PlotTypeNameColumn()
  plotType!: string;

  @ManyToOne('PlotType', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'plot_type' })
  plotTypeRef?: Relation<PlotType>;

  @Column({ type: 'enum', enum: modelArchitecture.options, enumName: 'model_architecture' })
  architecture!: ModelArchitecture;

  @Column({ type: 'enum', enum: MODEL_STATUSES, enumName: 'model_status' })
  status!: (typeof MODEL_STATUSES)[number];

  @Column({ type: 'text', nullable: true })
  rejectionReason!: string | null;

  /** Fine-tuned from this model. */
  @Column({ type: 'uuid', nullable: true })
  parentModelId!: string | null;

  @ManyToOne('Model', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'parent_model_id' })
  parentModel?: Relation<Model> | null;

  @Column({ type: 'uuid', nullable: true })
  trainingJobId!: string | null;

  @ManyToOne('TrainingJob', { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'training_job_id' })
  trainingJob?: Relation<TrainingJob> | null;

  /** Label names in output order. */
  @Column({ type: 'jsonb' })
  labels!: string[];

  /** `[height, width, channels]` */
  @Column({ type: 'jsonb' })
  inputShape!: number[];

  @Column({ type: 'text' })
  artifactPrefix!: string;

  /** The full validation report (accuracy, per-class metrics, confusion matrix, calibration…). */
  @Column({ type: 'jsonb', default: {} })
  metrics!: Record<string, unknown>;

  @UserNameColumn()
  trainedBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @TimeColumn({ nullable: true })
  promotedAt!: Date | null;

  @UserNameColumn({ nullable: true })
  promotedBy!: string | null;
}
