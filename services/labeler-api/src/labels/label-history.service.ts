import type { LabelHistoryEntry, LeaderboardEntry } from '@hydra/contracts';
import { Injectable } from '@nestjs/common';
import { LabelRepository } from './label.repository';

/** Reading the audit: an image's label history, and who labeled how much. */
@Injectable()
export class LabelHistoryService {
  constructor(private readonly repository: LabelRepository) {}

  /** Newest first; the caller has found the image and knows its plot type. */
  async ofImage(imageId: string, plotType: string): Promise<LabelHistoryEntry[]> {
    const rows = await this.repository.history(imageId, plotType);
    return rows.map((row) => ({
      batchId: row.batch_id,
      user: row.user,
      at: row.created_at.toISOString(),
      label: row.label,
      previousLabel: row.previous_label,
      undoesBatchId: row.undoes_batch_id,
    }));
  }

  leaderboard(plotType: string): Promise<LeaderboardEntry[]> {
    return this.repository.leaderboard(plotType);
  }
}
