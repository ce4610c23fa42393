import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CreatedAtColumn, UserNameColumn } from './columns';

export const USER_ROLES = ['viewer', 'labeler', 'expert', 'admin'] as const;

/** A person who labels, trains or watches. */
@Entity('user')
@Unique('user_name_unique', ['name'])
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @UserNameColumn()
  name!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  displayName!: string | null;

  @Column({ type: 'enum', enum: USER_ROLES, enumName: 'user_role', default: 'viewer' })
  role!: (typeof USER_ROLES)[number];

  @Column({ type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @CreatedAtColumn()
  createdAt!: Date;
}
