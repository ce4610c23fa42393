import { type LeaderboardEntry, plotTypeName } from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Controller, Get, Param } from '@nestjs/common';
import { Access } from '../auth/access.decorator';
import { LabelHistoryService } from './label-history.service';

@Controller('plot-types/:plotType/leaderboard')
export class LeaderboardController {
  constructor(private readonly history: LabelHistoryService) {}

  /** Images labeled per user, in all and in the last seven days, most first. */
  @Get()
  @Access('viewer')
  leaderboard(
    @Param('plotType', new ZodValidationPipe(plotTypeName)) plotType: string,
  ): Promise<LeaderboardEntry[]> {
    return this.history.leaderboard(plotType);
  }
}
