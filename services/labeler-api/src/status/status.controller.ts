import type { StatusDto } from '@hydra/contracts';
import { Controller, Get } from '@nestjs/common';
import { Access } from '../auth/access.decorator';
import { StatusService } from './status.service';

@Controller('status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  /** Stage latencies, images per day, consumer lag and every configured service's health. */
  @Get()
  @Access('viewer')
  get(): Promise<StatusDto> {
    return this.status.status();
  }
}
