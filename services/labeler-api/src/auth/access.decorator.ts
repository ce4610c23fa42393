import type { PlotPermission, UserRole } from '@hydra/contracts';
import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from './principal';

/** What a route asks of its caller; a route without it (or `@Public()`) is refused to everyone. */
export interface AccessRule {
  /** The least role that may call it. */
  role: UserRole;
  /** The plot-type permission the service checks once it knows the plot type (admins need none). */
  plotPermission?: PlotPermission;
}

export const ACCESS_RULE = 'hydra:access';

/** The least role a route needs, and the per-plot-type permission its service checks. */
export const Access = (role: UserRole, plotPermission?: PlotPermission) =>
  SetMetadata(ACCESS_RULE, { role, plotPermission } satisfies AccessRule);

/** The authenticated caller, set by the AuthGuard. */
export const Actor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
