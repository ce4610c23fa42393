import {
  plotPermissionDto,
  type PlotPermissionDto,
  plotTypeName,
  userCreateDto,
  type UserCreateDto,
  userUpdateDto,
  type UserUpdateDto,
  uuid,
} from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { Access, Actor } from '../access.decorator';
import type { Principal } from '../principal';
import { UserService } from './user.service';

const idParam = new ZodValidationPipe(uuid);
const plotTypeParam = new ZodValidationPipe(plotTypeName);

/** Accounts, roles and plot-type permissions: admins only. */
@Controller('users')
@Access('admin')
export class UserController {
  constructor(private readonly users: UserService) {}

  @Get()
  list() {
    return this.users.list();
  }

  @Post()
  create(@Body(new ZodValidationPipe(userCreateDto)) dto: UserCreateDto) {
    return this.users.create(dto);
  }

  @Patch(':id')
  update(
    @Actor() actor: Principal,
    @Param('id', idParam) id: string,
    @Body(new ZodValidationPipe(userUpdateDto)) dto: UserUpdateDto,
  ) {
    return this.users.update(actor, id, dto);
  }

  @Put(':id/permissions/:plotType')
  grant(
    @Param('id', idParam) id: string,
    @Param('plotType', plotTypeParam) plotType: string,
    @Body(new ZodValidationPipe(plotPermissionDto)) dto: PlotPermissionDto,
  ) {
    return this.users.grant(id, plotType, dto);
  }

  @Delete(':id/permissions/:plotType')
  revoke(@Param('id', idParam) id: string, @Param('plotType', plotTypeParam) plotType: string) {
    return this.users.revoke(id, plotType);
  }

  /** Ends every session of the account at once (a lost laptop). */
  @Post(':id/sessions/revoke')
  @HttpCode(200)
  revokeSessions(@Param('id', idParam) id: string) {
    return this.users.revokeSessions(id);
  }
}
