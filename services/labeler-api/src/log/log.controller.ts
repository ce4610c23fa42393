import { type LogDto, type LogQueryDto, logQueryDto } from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Access } from '../auth/access.decorator';
import { LogService } from './log.service';

@Controller('log')
export class LogController {
  constructor(private readonly log: LogService) {}

  /** Confirmed-Bad and unsure verdicts, newest first; `format=csv` downloads them as a file. */
  @Get()
  @Access('viewer')
  async entries(
    @Query(new ZodValidationPipe(logQueryDto)) query: LogQueryDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<LogDto | string> {
    const log = await this.log.entries(query);
    if (query.format === 'json') return log;
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="${this.log.csvFileName(log)}"`);
    response.setHeader('x-hydra-log-truncated', String(log.truncated));
    return this.log.toCsv(log);
  }
}
