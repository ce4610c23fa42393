import { RUN_SPARKLINE_POINTS, type SparklinePointDto } from '@hydra/contracts';
import { Injectable } from '@nestjs/common';
import { RunRepository } from './run.repository';

export const SPARKLINE_BUCKET_SECONDS = 3600 / RUN_SPARKLINE_POINTS;

/**
 * Buckets re-read on every refresh: a verdict's classified_at is the classifier's transaction
 * start (database clock), so a bucket can still gain rows for as long as a transaction runs, and a
 * replica's clock may differ a little from the database's.
 */
const REREAD_SECONDS = 90;

/**
 * The last hour's sparklines of every plot type, kept between snapshots: each refresh reads only the
 * verdicts of the last few buckets, so a snapshot costs the same at one verdict a minute as at one a
 * second, instead of a few thousand random image lookups per call.
 */
@Injectable()
export class SparklineCache {
  /** plot type → bucket start (ms) → mean P(Good) − P(Bad). */
  private readonly buckets = new Map<string, Map<number, number>>();
  private readFrom: number | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly repository: RunRepository) {}

  /** Each plot type's points of the newest `RUN_SPARKLINE_POINTS` buckets (the current one included), oldest first. */
  async current(now: Date): Promise<Map<string, SparklinePointDto[]>> {
    // One refresh at a time; callers that arrive meanwhile share its result.
    this.refreshing ??= this.refresh(now).finally(() => (this.refreshing = null));
    await this.refreshing;
    const windowStart =
      bucketStart(now.getTime()) - (RUN_SPARKLINE_POINTS - 1) * SPARKLINE_BUCKET_SECONDS * 1000;
    const result = new Map<string, SparklinePointDto[]>();
    for (const [plotType, buckets] of this.buckets) {
      const points = [...buckets]
        .filter(([start]) => start >= windowStart)
        .sort(([a], [b]) => a - b)
        .map(([start, value]) => ({ t: new Date(start).toISOString(), value }));
      if (points.length > 0) result.set(plotType, points);
    }
    return result;
  }

  private async refresh(now: Date): Promise<void> {
    const windowStart =
      bucketStart(now.getTime()) - (RUN_SPARKLINE_POINTS - 1) * SPARKLINE_BUCKET_SECONDS * 1000;
    const from = Math.max(windowStart, bucketStart((this.readFrom ?? windowStart) - REREAD_SECONDS * 1000));
    const rows = await this.repository.sparklines(new Date(from), SPARKLINE_BUCKET_SECONDS);
    for (const buckets of this.buckets.values()) {
      for (const start of buckets.keys()) if (start < windowStart || start >= from) buckets.delete(start);
    }
    for (const row of rows) {
      const buckets = this.buckets.get(row.plot_type) ?? new Map<number, number>();
      buckets.set(row.bucket_start.getTime(), row.value);
      this.buckets.set(row.plot_type, buckets);
    }
    this.readFrom = now.getTime();
  }
}

function bucketStart(time: number): number {
  const size = SPARKLINE_BUCKET_SECONDS * 1000;
  return Math.floor(time / size) * size;
}
