import { tokenCreateDto, type TokenCreateDto, uuid } from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { Access, Actor } from '../access.decorator';
import type { Principal } from '../principal';
import { TokenService } from './token.service';

/** API tokens for machine clients: admins only. */
@Controller('tokens')
@Access('admin')
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  @Get()
  list() {
    return this.tokens.list();
  }

  /** The reply is the only time the secret is shown. */
  @Post()
  create(@Actor() actor: Principal, @Body(new ZodValidationPipe(tokenCreateDto)) dto: TokenCreateDto) {
    return this.tokens.create(actor, dto);
  }

  @Delete(':id')
  revoke(@Param('id', new ZodValidationPipe(uuid)) id: string) {
    return this.tokens.revoke(id);
  }
}
