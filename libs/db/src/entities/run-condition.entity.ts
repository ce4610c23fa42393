import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { UserNameColumn } from './columns';

/** One change of the run condition the DAQ reports; the newest row is in force. */
@Entity('run_condition')
@Index('run_condition_occurred_at', ['occurredAt'])
export class RunCondition {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The event that reported it, so a redelivered report is recorded once. */
  @Column({ type: 'uuid', unique: true })
  eventId!: string;

  @Column({ type: 'boolean' })
  beamOn!: boolean;

  @Column({ type: 'real', nullable: true })
  beamCurrent!: number | null;

  @UserNameColumn()
  by!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;
}
