import type { PlotPermissionDto } from '@hydra/contracts';
import { PlotType, User, UserPlotPermission, UserSession } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';

/** Accounts, their plot-type permissions and sessions. */
@Injectable()
export class UserRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  list(): Promise<User[]> {
    return this.dataSource.getRepository(User).find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ id });
  }

  findByName(name: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ name });
  }

  /** Null when the name is taken. */
  async create(
    values: Pick<User, 'name' | 'role'> & Partial<Pick<User, 'displayName' | 'passwordHash'>>,
  ): Promise<User | null> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(User)
      .values(values)
      .orIgnore()
      .returning('*')
      .execute();
    return (result.generatedMaps[0] && (await this.findByName(values.name))) ?? null;
  }

  async update(
    id: string,
    values: Partial<Pick<User, 'displayName' | 'role' | 'passwordHash' | 'disabled'>>,
  ): Promise<void> {
    await this.dataSource.getRepository(User).update(id, values);
  }

  permissionsOf(userIds: string[]): Promise<UserPlotPermission[]> {
    if (!userIds.length) return Promise.resolve([]);
    return this.dataSource
      .getRepository(UserPlotPermission)
      .createQueryBuilder('permission')
      .where('permission.user_id = ANY(:userIds)', { userIds })
      .orderBy('permission.plot_type')
      .getMany();
  }

  plotTypeExists(name: string): Promise<boolean> {
    return this.dataSource.getRepository(PlotType).existsBy({ name });
  }

  async grant(userId: string, plotType: string, grant: PlotPermissionDto): Promise<void> {
    await this.dataSource
      .getRepository(UserPlotPermission)
      .upsert({ userId, plotType, ...grant }, ['userId', 'plotType']);
  }

  async revoke(userId: string, plotType: string): Promise<void> {
    await this.dataSource.getRepository(UserPlotPermission).delete({ userId, plotType });
  }

  /** Ends every live session of the account, except `keep` (the caller's own). */
  async revokeSessions(userId: string, keep: string | null): Promise<number> {
    const result = await this.dataSource
      .getRepository(UserSession)
      .update({ userId, revokedAt: IsNull(), ...(keep && { id: Not(keep) }) }, { revokedAt: new Date() });
    return result.affected ?? 0;
  }
}
