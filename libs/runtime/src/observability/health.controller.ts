import { Public } from '../http/public-route';
import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { HEALTH_PROBES, type HealthProbe } from './health-probe';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_PROBES) private readonly probes: HealthProbe[],
  ) {}

  /** Liveness: the process answers. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Readiness: every dependency answers (a degraded one is reported, not failed). */
  @Get()
  @HealthCheck()
  ready() {
    return this.health.check(this.probes.map((probe) => () => this.probe(probe)));
  }

  private async probe(probe: HealthProbe) {
    const session = this.indicators.check(probe.name);
    try {
      const degraded = await probe.check();
      return degraded ? session.up({ degraded }) : session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}
