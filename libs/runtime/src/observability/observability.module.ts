import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { collectDefaultMetrics, register } from 'prom-client';
import { HealthController } from './health.controller';
import { HEALTH_PROBES, type HealthProbe } from './health-probe';
import { MetricsController } from './metrics.controller';

export interface ObservabilityOptions {
  /** Labels every metric, so one Prometheus tells the services apart. */
  service: string;
  /** Probe classes whose checks make up readiness; their dependencies come from global modules. */
  probes?: Type<HealthProbe>[];
}

/** `/health`, `/health/live` and `/metrics` for every service. */
@Module({})
export class ObservabilityModule {
  static forRoot({ service, probes = [] }: ObservabilityOptions): DynamicModule {
    register.setDefaultLabels({ service });
    // Default metrics register once per process, however many modules a test builds.
    if (!register.getSingleMetric('process_cpu_seconds_total')) collectDefaultMetrics();
    return {
      module: ObservabilityModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        ...probes,
        { provide: HEALTH_PROBES, useFactory: (...instances: HealthProbe[]) => instances, inject: probes },
      ],
    };
  }
}
