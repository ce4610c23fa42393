import { userRole, type UserRole } from '@hydra/contracts';
import {
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { CreatedAtColumn, TimeColumn, UserNameColumn } from './columns';
import type { User } from './user.entity';

/** A machine client's bearer token (a DAQ, a feeder, a logbook): stored as its sha256, shown once. */
@Entity('api_token')
@Unique('api_token_name_unique', ['name'])
export class ApiToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  /** The account the token acts as: its name is the actor of every write, its plot-type permissions apply. */
  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'enum', enum: userRole.options, enumName: 'user_role' })
  role!: UserRole;

  @Column({ type: 'char', length: 64, unique: true })
  secretHash!: string;

  @UserNameColumn()
  createdBy!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @TimeColumn({ nullable: true })
  expiresAt!: Date | null;

  @TimeColumn({ nullable: true })
  revokedAt!: Date | null;

  @TimeColumn({ nullable: true })
  lastUsedAt!: Date | null;
}
