import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** What the log is narrowed to; the window is always set. */
export interface LogFilter {
  from: Date;
  to: Date;
  plotType?: string;
  group?: string;
  runFrom?: number;
  runTo?: number;
}

export interface LogRow {
  classified_at: Date;
  plot_type: string;
  group_name: string | null;
  run_number: number;
  chunk: number | null;
  captured_at: Date;
  image_id: string;
  model_id: string | null;
  verdict: string;
  confidence: number;
  confirmed: boolean;
}

/** The verdicts log: confirmed Bad and unsure verdicts, the ones a shift should look at. */
@Injectable()
export class LogRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Newest first, at most `limit` rows; walks the classified_at index backwards through the window.
   * Run bounds are bigint: a bound past the integer column's range matches nothing (or everything), not an error.
   */
  entries(filter: LogFilter, limit: number): Promise<LogRow[]> {
    return this.dataSource.query(
      `SELECT c.classified_at, i.plot_type, pt.group_name, i.run_number, i.chunk, i.captured_at,
              c.image_id, c.model_id, c.verdict, c.confidence, c.confirmed
         FROM classification c
         JOIN image i ON i.id = c.image_id
         JOIN plot_type pt ON pt.name = i.plot_type
        WHERE c.classified_at >= $1 AND c.classified_at < $2
          AND (NOT c.confirmed OR c.verdict = 'Bad')
          AND ($3::varchar IS NULL OR i.plot_type = $3)
          AND ($4::varchar IS NULL OR pt.group_name = $4)
          AND ($5::bigint IS NULL OR i.run_number >= $5)
          AND ($6::bigint IS NULL OR i.run_number <= $6)
        ORDER BY c.classified_at DESC, c.id
        LIMIT $7`,
      [
        filter.from,
        filter.to,
        filter.plotType ?? null,
        filter.group ?? null,
        filter.runFrom ?? null,
        filter.runTo ?? null,
        limit,
      ],
    );
  }
}
