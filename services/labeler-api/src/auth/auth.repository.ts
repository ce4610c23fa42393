import type { UserRole } from '@hydra/contracts';
import { ApiToken, User, UserPlotPermission, UserSession } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A credential found by its hash, with the account it belongs to. */
export interface CredentialRow {
  id: string;
  userId: string;
  name: string;
  role: UserRole;
  csrfToken: string | null;
  lastUsedAt: Date | null;
}

/** Every query behind log-in: sessions, tokens and the accounts they act as. */
@Injectable()
export class AuthRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** A live session: not revoked, not expired, its user not disabled. */
  async liveSession(hash: string): Promise<CredentialRow | null> {
    const rows: CredentialRow[] = await this.dataSource.query(
      `SELECT s.id, s.user_id AS "userId", u.name, u.role, s.csrf_token AS "csrfToken", s.last_seen_at AS "lastUsedAt"
         FROM user_session s JOIN "user" u ON u.id = s.user_id
        WHERE s.secret_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled`,
      [hash],
    );
    return rows[0] ?? null;
  }

  /** A live API token: not revoked, not expired, its account not disabled; the role is the token's. */
  async liveToken(hash: string): Promise<CredentialRow | null> {
    const rows: CredentialRow[] = await this.dataSource.query(
      `SELECT t.id, t.user_id AS "userId", u.name, t.role, NULL AS "csrfToken", t.last_used_at AS "lastUsedAt"
         FROM api_token t JOIN "user" u ON u.id = t.user_id
        WHERE t.secret_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
          AND NOT u.disabled`,
      [hash],
    );
    return rows[0] ?? null;
  }

  async touchSession(id: string): Promise<void> {
    await this.dataSource.getRepository(UserSession).update(id, { lastSeenAt: new Date() });
  }

  async touchToken(id: string): Promise<void> {
    await this.dataSource.getRepository(ApiToken).update(id, { lastUsedAt: new Date() });
  }

  findUserByName(name: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ name });
  }

  /** The account a trusted proxy names, made with `role` the first time it is seen (concurrent first requests agree). */
  async proxyUser(name: string, role: UserRole): Promise<User> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(User)
      .values({ name, role })
      .orIgnore()
      .execute();
    return this.dataSource.getRepository(User).findOneByOrFail({ name });
  }

  async createSession(userId: string, secretHash: string, csrfToken: string, expiresAt: Date): Promise<void> {
    await this.dataSource.getRepository(UserSession).insert({ userId, secretHash, csrfToken, expiresAt });
  }

  async revokeSession(id: string): Promise<void> {
    await this.dataSource.getRepository(UserSession).update(id, { revokedAt: new Date() });
  }

  permissions(userId: string): Promise<UserPlotPermission[]> {
    return this.dataSource
      .getRepository(UserPlotPermission)
      .find({ where: { userId }, order: { plotType: 'ASC' } });
  }

  permission(userId: string, plotType: string): Promise<UserPlotPermission | null> {
    return this.dataSource.getRepository(UserPlotPermission).findOneBy({ userId, plotType });
  }

  async adminExists(): Promise<boolean> {
    return this.dataSource.getRepository(User).existsBy({ role: 'admin', disabled: false });
  }

  /** The first admin; a concurrent replica making the same one is harmless. */
  async createAdmin(name: string, passwordHash: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(User)
      .values({ name, role: 'admin', passwordHash })
      .orIgnore()
      .execute();
    return (result.identifiers.filter(Boolean).length ?? 0) > 0;
  }
}
