import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CreatedAtColumn, TimeColumn } from './columns';
import type { User } from './user.entity';

/** A browser log-in: the cookie holds a random secret, the row only its sha256. */
@Entity('user_session')
@Index('user_session_user_id', ['userId'])
export class UserSession {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'char', length: 64, unique: true })
  secretHash!: string;

  /** Sent back in `X-CSRF-Token` by the web app on every write made with this session. */
  @Column({ type: 'char', length: 43 })
  csrfToken!: string;

  @CreatedAtColumn()
  createdAt!: Date;

  @TimeColumn()
  expiresAt!: Date;

  @TimeColumn({ nullable: true })
  revokedAt!: Date | null;

  @TimeColumn({ nullable: true })
  lastSeenAt!: Date | null;
}
