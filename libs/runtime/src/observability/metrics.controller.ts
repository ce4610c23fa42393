import { Public } from '../http/public-route';
import { Controller, Get, Header } from '@nestjs/common';
import { register } from 'prom-client';

@Public()
@Controller('metrics')
export class MetricsController {
  /** Prometheus text exposition of the process-wide registry. */
  @Get()
  @Header('Content-Type', register.contentType)
  metrics() {
    return register.metrics();
  }
}
