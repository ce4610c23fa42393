import { userRole, type UserRole } from '@hydra/contracts';
import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedAtColumn, UserNameColumn } from './columns';

/** A person who labels, trains or watches, or the account a machine's API tokens act as (no password). */
@Entity('user')
@Unique('user_name_unique', ['name'])
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @UserNameColumn()
  name!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  displayName!: string | null;

  @Column({ type: 'enum', enum: userRole.options, enumName: 'user_role', default: 'viewer' })
  role!: UserRole;

  /** argon2id; null for accounts that cannot log in with a password (machines, proxy-authenticated people). */
  @Column({ type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;
}
