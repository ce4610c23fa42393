import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';

/** The header labeler-api proves itself with when it forwards a person's action to an internal service. */
export const INTERNAL_TOKEN_HEADER = 'x-hydra-internal-token';

/** The provider a service gives its `INTERNAL_API_TOKEN` (or null) under, for the guard. */
export const INTERNAL_API_TOKEN = Symbol('INTERNAL_API_TOKEN');

/**
 * Lets a route be called only by labeler-api (which authenticated the person): the caller must send
 * the shared `INTERNAL_API_TOKEN`. Without one configured, the route is closed to everybody.
 */
@Injectable()
export class InternalCallerGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(INTERNAL_API_TOKEN) internalToken: string | null) {
    this.expected = internalToken ? digest(internalToken) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    const sent = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[
      INTERNAL_TOKEN_HEADER
    ];
    if (!this.expected)
      throw new ForbiddenException(
        'this action comes through labeler-api (INTERNAL_API_TOKEN is not set here)',
      );
    if (typeof sent !== 'string' || !timingSafeEqual(digest(sent), this.expected))
      throw new ForbiddenException('this action comes through labeler-api, which checks who may take it');
    return true;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
