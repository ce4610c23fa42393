import { keepReason, type KeepReason } from '@hydra/contracts';
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
import { PlotTypeNameColumn, TimeColumn } from './columns';
import type { PlotType } from './plot-type.entity';

/**
 * One delivered plot image. A re-delivery of the same plot (plot type, run, chunk, pad, sha256) is
 * the same image; identical bytes of another plot (another run's empty NoData plot) are another.
 */
@Entity('image')
// Unique over (plot_type, run_number, COALESCE(chunk, -1), COALESCE(pad, ''), sha256): an expression
// index TypeORM cannot declare, written in the ImageDeliveryKey migration.
@Index('image_delivery_unique', { synchronize: false })
// Keyset pages, newest first, of one plot type and of all (the id breaks ties between equal times).
@Index('image_plot_type_captured_at', ['plotType', 'capturedAt', 'id'])
@Index('image_captured_at', ['capturedAt', 'id'])
// The labeling queue: kept images of a plot type, newest run first.
@Index('image_kept_plot_type_run', ['plotType', 'runNumber', 'capturedAt', 'id'], { where: '"keep"' })
@Index('image_plot_type_run', ['plotType', 'runNumber'])
@Check('image_sha256_hex', `"sha256" ~ '^[0-9a-f]{64}$'`)
@Check('image_dimensions_positive', `"width" > 0 AND "height" > 0 AND "size_bytes" > 0`)
@Check('image_training_weight_nonnegative', `"training_weight" >= 0`)
@Check('image_keep_reason_when_kept', `"keep" OR "keep_reason" IS NULL`)
export class Image {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @PlotTypeNameColumn()
  plotType!: string;

  @ManyToOne('PlotType', { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'plot_type' })
  plotTypeRef?: Relation<PlotType>;

  @Column({ type: 'varchar', length: 64 })
  runPeriod!: string;

  @Column({ type: 'integer' })
  runNumber!: number;

  /** Null for cumulative plots. */
  @Column({ type: 'integer', nullable: true })
  chunk!: number | null;

  /** The canvas pad, for multi-pad plots (`Plot-2_0003.png`). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  pad!: string | null;

  @TimeColumn()
  capturedAt!: Date;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'text' })
  storageKey!: string;

  @Column({ type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'integer' })
  width!: number;

  @Column({ type: 'integer' })
  height!: number;

  /** Kept for labeling (Hydra's keep rule), with the reason. */
  @Column({ type: 'boolean', default: false })
  keep!: boolean;

  @Column({ type: 'enum', enum: keepReason.options, enumName: 'keep_reason', nullable: true })
  keepReason!: KeepReason | null;

  /** 0 holds the image out of training. */
  @Column({ type: 'real', default: 1 })
  trainingWeight!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  ingestedAt!: Date;
}
