import { Module } from '@nestjs/common';
import { LogController } from './log.controller';
import { LogRepository } from './log.repository';
import { LogService } from './log.service';

/** GET /api/log: the verdicts a shift should look at, as JSON or a CSV download. */
@Module({ controllers: [LogController], providers: [LogService, LogRepository] })
export class LogModule {}
