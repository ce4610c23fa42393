import type {
  PlotPermissionDto,
  PlotPermissionGrant,
  UserCreateDto,
  UserResponse,
  UserUpdateDto,
} from '@hydra/contracts';
import type { User, UserPlotPermission } from '@hydra/db';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { hashPassword } from '../passwords';
import type { Principal } from '../principal';
import { UserRepository } from './user.repository';

/** Admins manage accounts, roles and plot-type permissions; nobody can lock the last admin out. */
@Injectable()
export class UserService {
  constructor(private readonly users: UserRepository) {}

  async list(): Promise<UserResponse[]> {
    const users = await this.users.list();
    const permissions = await this.users.permissionsOf(users.map((user) => user.id));
    return users.map((user) => toResponse(user, permissions));
  }

  async create(dto: UserCreateDto): Promise<UserResponse> {
    const user = await this.users.create({
      name: dto.name,
      role: dto.role,
      displayName: dto.displayName ?? null,
      passwordHash: dto.password ? await hashPassword(dto.password) : null,
    });
    if (!user) throw new ConflictException(`a user named ${dto.name} exists`);
    return toResponse(user, []);
  }

  async update(actor: Principal, id: string, dto: UserUpdateDto): Promise<UserResponse> {
    const user = await this.existing(id);
    if (user.id === actor.userId && ((dto.role && dto.role !== 'admin') || dto.disabled))
      throw new BadRequestException('an admin cannot demote or disable themself (ask another admin)');
    const { password, ...rest } = dto;
    const changes = { ...rest, ...(password && { passwordHash: await hashPassword(password) }) };
    // An empty PATCH changes nothing (an UPDATE without a SET would be a database error).
    if (Object.keys(changes).length > 0) await this.users.update(id, changes);
    if (dto.disabled || password || dto.role) await this.users.revokeSessions(id, null);
    return this.one(id);
  }

  async grant(id: string, plotType: string, grant: PlotPermissionDto): Promise<UserResponse> {
    await this.existing(id);
    if (!(await this.users.plotTypeExists(plotType))) throw new NotFoundException(`no plot type ${plotType}`);
    await this.users.grant(id, plotType, grant);
    return this.one(id);
  }

  async revoke(id: string, plotType: string): Promise<UserResponse> {
    await this.existing(id);
    await this.users.revoke(id, plotType);
    return this.one(id);
  }

  async revokeSessions(id: string): Promise<{ revoked: number }> {
    await this.existing(id);
    return { revoked: await this.users.revokeSessions(id, null) };
  }

  private async one(id: string): Promise<UserResponse> {
    const user = await this.existing(id);
    return toResponse(user, await this.users.permissionsOf([id]));
  }

  private async existing(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundException(`no user ${id}`);
    return user;
  }
}

function toResponse(user: User, permissions: UserPlotPermission[]): UserResponse {
  return {
    id: user.id,
    name: user.name,
    displayName: user.displayName,
    role: user.role,
    disabled: user.disabled,
    hasPassword: user.passwordHash !== null,
    createdAt: user.createdAt.toISOString(),
    permissions: permissions.filter((permission) => permission.userId === user.id).map(toGrant),
  };
}

function toGrant({ plotType, canLabel, canTrain, canPromote }: UserPlotPermission): PlotPermissionGrant {
  return { plotType, canLabel, canTrain, canPromote };
}
