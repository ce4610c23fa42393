import { type RunSnapshotDto, type RunSnapshotQueryDto, runSnapshotQueryDto } from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Controller, Get, Query } from '@nestjs/common';
import { Access } from '../auth/access.decorator';
import { RunService } from './run.service';

@Controller('run')
export class RunController {
  constructor(private readonly run: RunService) {}

  /** The Run dashboard in one call: every plot type's newest verdict, alarm and last hour. */
  @Get()
  @Access('viewer')
  snapshot(
    @Query(new ZodValidationPipe(runSnapshotQueryDto)) query: RunSnapshotQueryDto,
  ): Promise<RunSnapshotDto> {
    return this.run.snapshot(query.hidden);
  }
}
