import { Module } from '@nestjs/common';
import { RunController } from './run.controller';
import { RunRepository } from './run.repository';
import { RunService } from './run.service';
import { SparklineCache } from './sparkline.cache';

/** GET /api/run: the shift crew's dashboard snapshot. */
@Module({ controllers: [RunController], providers: [RunService, RunRepository, SparklineCache] })
export class RunModule {}
