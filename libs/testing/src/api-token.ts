import { createHash, randomBytes } from 'node:crypto';
import type { UserRole } from '@hydra/contracts';
import { ApiToken, User } from '@hydra/db';
import type { DataSource } from 'typeorm';

/**
 * A bearer token for `name` with `role`, written straight into the database (as an admin would make
 * one through the API): how tests and benchmarks call labeler-api without a log-in.
 */
export async function createApiToken(db: DataSource, name: string, role: UserRole): Promise<string> {
  await db.createQueryBuilder().insert().into(User).values({ name, role }).orIgnore().execute();
  const user = await db.getRepository(User).findOneByOrFail({ name });
  const token = `hydra_${randomBytes(32).toString('base64url')}`;
  await db.getRepository(ApiToken).insert({
    name: `${name}-${randomBytes(4).toString('hex')}`,
    userId: user.id,
    role,
    secretHash: createHash('sha256').update(token).digest('hex'),
    createdBy: 'test',
  });
  return token;
}
