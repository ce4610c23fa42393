import {
  loginDto,
  type LoginDto,
  type MeResponse,
  passwordChangeDto,
  type PasswordChangeDto,
} from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, Controller, Get, HttpCode, Inject, Post, Put, Res, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'express';
import { LABELER_API_CONFIG, type LabelerApiConfig } from '../labeler-api.config';
import { Public } from '@hydra/runtime';
import { Access, Actor } from './access.decorator';
import { CSRF_COOKIE } from './auth.guard';
import { AuthService, SESSION_COOKIE } from './auth.service';
import { randomSecret } from './credentials';
import type { Principal } from './principal';

/** Log-in with a session cookie for the browser; who am I; log-out. */
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(LABELER_API_CONFIG) private readonly config: LabelerApiConfig,
  ) {}

  /** Sets an httpOnly session cookie; the reply holds the CSRF token to send with every write. */
  @Post('login')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  async login(
    @Body(new ZodValidationPipe(loginDto)) dto: LoginDto,
    @Res({ passthrough: true }) response: Response,
  ) {
    const session = await this.auth.login(dto);
    const cookie = {
      sameSite: 'lax',
      secure: this.config.auth.secureCookies,
      path: '/',
      expires: session.expiresAt,
    } as const;
    response.cookie(SESSION_COOKIE, session.secret, { ...cookie, httpOnly: true });
    response.cookie(CSRF_COOKIE, session.csrfToken, cookie);
    return { csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
  }

  @Post('logout')
  @Access('viewer')
  @HttpCode(204)
  async logout(@Actor() actor: Principal, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout(actor);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.clearCookie(CSRF_COOKIE, { path: '/' });
  }

  /** Behind a trusted proxy there is no session, so the CSRF token is a double-submit cookie made here. */
  @Get('me')
  @Access('viewer')
  async me(@Actor() actor: Principal, @Res({ passthrough: true }) response: Response): Promise<MeResponse> {
    const me = await this.auth.me(actor);
    if (actor.via !== 'proxy') return me;
    const csrfToken = randomSecret();
    response.cookie(CSRF_COOKIE, csrfToken, {
      sameSite: 'strict',
      secure: this.config.auth.secureCookies,
      path: '/',
    });
    return { ...me, csrfToken };
  }

  @Put('password')
  @Access('viewer')
  @HttpCode(204)
  changePassword(
    @Actor() actor: Principal,
    @Body(new ZodValidationPipe(passwordChangeDto)) dto: PasswordChangeDto,
  ) {
    return this.auth.changePassword(actor, dto);
  }
}
