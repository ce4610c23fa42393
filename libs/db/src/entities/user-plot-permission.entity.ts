import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { PlotType } from './plot-type.entity';
import type { User } from './user.entity';

/** What one user may do with one plot type beyond their role. */
@Entity('user_plot_permission')
export class UserPlotPermission {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  plotType!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @ManyToOne('PlotType', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plot_type' })
  plotTypeRef?: Relation<PlotType>;

  @Column({ type: 'boolean', default: true })
  canLabel!: boolean;

  @Column({ type: 'boolean', default: false })
  canTrain!: boolean;

  @Column({ type: 'boolean', default: false })
  canPromote!: boolean;
}
