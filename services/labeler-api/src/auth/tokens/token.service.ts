import type { TokenCreateDto, TokenCreatedResponse, TokenResponse } from '@hydra/contracts';
import type { ApiToken } from '@hydra/db';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomSecret, secretHash, TOKEN_PREFIX } from '../credentials';
import type { Principal } from '../principal';
import { UserRepository } from '../users/user.repository';
import { TokenRepository } from './token.repository';

/** Machine clients' tokens: made and revoked by admins, shown once, stored as a hash. */
@Injectable()
export class TokenService {
  constructor(
    private readonly tokens: TokenRepository,
    private readonly users: UserRepository,
  ) {}

  async list(): Promise<TokenResponse[]> {
    return (await this.tokens.list()).map(toResponse);
  }

  /** The account is `user`, or one named after the token, made without a password when new. */
  async create(actor: Principal, dto: TokenCreateDto): Promise<TokenCreatedResponse> {
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now())
      throw new BadRequestException('expiresAt is in the past');
    const accountName = dto.user ?? dto.name;
    const account =
      (await this.users.findByName(accountName)) ??
      (await this.users.create({ name: accountName, role: dto.role }));
    if (!account) throw new ConflictException(`could not make the account ${accountName}; try again`);
    const token = `${TOKEN_PREFIX}${randomSecret()}`;
    const created = await this.tokens.create({
      name: dto.name,
      userId: account.id,
      role: dto.role,
      secretHash: secretHash(token),
      createdBy: actor.name,
      expiresAt,
    });
    if (!created) throw new ConflictException(`a token named ${dto.name} exists`);
    return { ...toResponse(created), token };
  }

  async revoke(id: string): Promise<TokenResponse> {
    const token = await this.tokens.findById(id);
    if (!token) throw new NotFoundException(`no token ${id}`);
    if (!token.revokedAt) await this.tokens.revoke(id);
    return toResponse((await this.tokens.findById(id)) as ApiToken);
  }
}

function toResponse(token: ApiToken): TokenResponse {
  return {
    id: token.id,
    name: token.name,
    user: token.user?.name ?? '',
    role: token.role,
    createdBy: token.createdBy,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}
