import { ApiToken } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** API tokens, with the name of the account each acts as. */
@Injectable()
export class TokenRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  list(): Promise<ApiToken[]> {
    return this.dataSource
      .getRepository(ApiToken)
      .find({ relations: { user: true }, order: { createdAt: 'DESC' } });
  }

  findById(id: string): Promise<ApiToken | null> {
    return this.dataSource.getRepository(ApiToken).findOne({ where: { id }, relations: { user: true } });
  }

  /** Null when the name is taken. */
  async create(
    values: Pick<ApiToken, 'name' | 'userId' | 'role' | 'secretHash' | 'createdBy' | 'expiresAt'>,
  ): Promise<ApiToken | null> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ApiToken)
      .values(values)
      .orIgnore()
      .execute();
    const id = result.identifiers[0]?.id as string | undefined;
    return id ? this.findById(id) : null;
  }

  async revoke(id: string): Promise<void> {
    await this.dataSource.getRepository(ApiToken).update(id, { revokedAt: new Date() });
  }
}
