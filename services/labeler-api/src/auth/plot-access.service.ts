import type { PlotPermission } from '@hydra/contracts';
import { ForbiddenException, Injectable } from '@nestjs/common';
import { AuthRepository } from './auth.repository';
import type { Principal } from './principal';

const COLUMN = { label: 'canLabel', train: 'canTrain', promote: 'canPromote' } as const;

/** Per-plot-type permissions: labelers label, experts train and promote, only the plot types granted to them. */
@Injectable()
export class PlotAccessService {
  constructor(private readonly repository: AuthRepository) {}

  async may(principal: Principal, plotType: string, permission: PlotPermission): Promise<boolean> {
    if (principal.role === 'admin') return true;
    const grant = await this.repository.permission(principal.userId, plotType);
    return grant?.[COLUMN[permission]] === true;
  }

  /** Throws a 403 naming the missing permission. */
  async assert(principal: Principal, plotType: string, permission: PlotPermission): Promise<void> {
    if (!(await this.may(principal, plotType, permission)))
      throw new ForbiddenException(
        `${principal.name} may not ${permission} ${plotType} (ask an admin for the permission)`,
      );
  }
}
