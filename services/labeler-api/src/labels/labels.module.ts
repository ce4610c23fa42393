import { Module } from '@nestjs/common';
import { LabelHistoryService } from './label-history.service';
import { LabelUndoService } from './label-undo.service';
import { LabelController } from './label.controller';
import { LabelRepository } from './label.repository';
import { LabelService } from './label.service';
import { LeaderboardController } from './leaderboard.controller';

/** Expert labels: audited batches, undo, history, the leaderboard. */
@Module({
  controllers: [LabelController, LeaderboardController],
  providers: [LabelRepository, LabelService, LabelUndoService, LabelHistoryService],
  exports: [LabelHistoryService],
})
export class LabelsModule {}
