import { roleAtLeast } from '@hydra/contracts';
import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { parse as parseCookies } from 'cookie';
import { PUBLIC_ROUTE } from '@hydra/runtime';
import { ACCESS_RULE, type AccessRule } from './access.decorator';
import { AuthService } from './auth.service';
import { sameSecret } from './credentials';
import type { Principal } from './principal';

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_COOKIE = 'hydra_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route is closed unless it says otherwise: `@Public()` opens it, `@Access(role)` names the
 * least role. A cookie-authenticated write must also carry its CSRF token.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets);
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const principal = await this.auth.authenticate({
      headers: request.headers,
      remoteAddress: request.socket.remoteAddress,
    });
    if (!principal)
      throw new UnauthorizedException('log in, or send an API token as "Authorization: Bearer …"');
    if (!rule) throw new ForbiddenException('this route has no access rule and is closed');
    if (!SAFE_METHODS.has(request.method)) checkCsrf(request, principal);
    if (!roleAtLeast(principal.role, rule.role))
      throw new ForbiddenException(`needs the ${rule.role} role (${principal.name} is ${principal.role})`);
    request.principal = principal;
    return true;
  }
}

/** Sessions carry their own CSRF token; behind a trusted proxy the header must echo the CSRF cookie. */
function checkCsrf(request: Request, principal: Principal): void {
  if (principal.via === 'token') return;
  const sent = request.header(CSRF_HEADER) ?? '';
  const expected =
    principal.via === 'session'
      ? principal.csrfToken
      : parseCookies(request.headers.cookie ?? '')[CSRF_COOKIE];
  if (!expected || !sent || !sameSecret(sent, expected))
    throw new ForbiddenException(
      `a write from the browser needs the ${CSRF_HEADER} header (see GET /api/auth/me)`,
    );
}
