import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A pipeline stage, as the SQL that yields one latency sample (`ms`) per item finished since $1. */
const STAGE_SAMPLES = {
  'ingest-to-classified': `
    SELECT extract(epoch FROM c.classified_at - i.ingested_at)::float8 * 1000 AS ms
      FROM classification c JOIN image i ON i.id = c.image_id
     WHERE c.classified_at >= $1`,
  'classified-to-explained': `
    SELECT extract(epoch FROM e.created_at - c.classified_at)::float8 * 1000 AS ms
      FROM explanation e JOIN classification c ON c.image_id = e.image_id AND c.model_id = e.model_id
     WHERE e.created_at >= $1`,
} as const;

export type Stage = keyof typeof STAGE_SAMPLES;
export const STAGES = Object.keys(STAGE_SAMPLES) as Stage[];

export interface StageLatencyRow {
  /** `[bucket index, count]`, index as `width_bucket` gives it: 0 below the first bound. */
  buckets: [number, number][];
  count: number;
  p50: number | null;
  p99: number | null;
}

/** The status page's aggregates; each one is a single scan of the window it covers. */
@Injectable()
export class StatusRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Bucket counts over `bounds` (ascending, ms) and exact quantiles of one stage since `since`. */
  async stageLatency(stage: Stage, since: Date, bounds: number[]): Promise<StageLatencyRow> {
    const [row] = await this.dataSource.query(
      `WITH samples AS MATERIALIZED (${STAGE_SAMPLES[stage]})
       SELECT (SELECT coalesce(json_agg(json_build_array(bucket, n)), '[]'::json)
                 FROM (SELECT width_bucket(ms, $2::float8[]) AS bucket, count(*)::int AS n
                         FROM samples GROUP BY 1) histogram) AS buckets,
              (SELECT count(*)::int FROM samples) AS count,
              (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM samples) AS p50,
              (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) FROM samples) AS p99`,
      [since, bounds],
    );
    return row as StageLatencyRow;
  }

  /** Images received per UTC day since `since`; days without images are absent. */
  imagesPerDay(since: Date): Promise<{ day: string; count: number }[]> {
    return this.dataSource.query(
      `SELECT to_char(ingested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS count
         FROM image WHERE ingested_at >= $1
        GROUP BY 1 ORDER BY 1`,
      [since],
    );
  }
}
