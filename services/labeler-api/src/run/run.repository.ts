import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** One plot type's row of the snapshot, as PostgreSQL returns it. */
export interface RunPlotRow {
  name: string;
  group_name: string | null;
  hidden: boolean;
  image_id: string | null;
  run_number: number | null;
  chunk: number | null;
  captured_at: Date | null;
  ingested_at: Date | null;
  age_seconds: number | null;
  verdict: string | null;
  confidence: number | null;
  confirmed: boolean | null;
  model_id: string | null;
  outputs: Record<string, number> | null;
  classified_at: Date | null;
  explained: boolean;
  alarm_id: string | null;
  alarm_state: string | null;
  alarm_severity: string | null;
  alarm_since: Date | null;
  alarm_event: string | null;
  alarm_by: string | null;
  alarm_reason: string | null;
  alarm_shelved_until: Date | null;
  alarm_occurred_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
}

export interface SparklineRow {
  plot_type: string;
  bucket_start: Date;
  value: number;
}

export interface RunHeaderRow {
  beam_on: boolean | null;
  beam_current: number | null;
  condition_since: Date | null;
  run_number: number | null;
}

/**
 * The Run dashboard's queries. Each per-plot-type part is a LATERAL lookup that walks one index
 * backwards a few rows, so the cost grows with plot types, not with stored classifications.
 */
@Injectable()
export class RunRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Every plot type (hidden ones when asked) with its newest image, verdict, heat map and alarm row. */
  plots(includeHidden: boolean): Promise<RunPlotRow[]> {
    return this.dataSource.query(
      `SELECT pt.name, pt.group_name, pt.hidden,
              latest.id AS image_id, latest.run_number, latest.chunk, latest.captured_at, latest.ingested_at,
              extract(epoch FROM now() - latest.ingested_at)::float8 AS age_seconds,
              verdict.verdict, verdict.confidence, verdict.confirmed, verdict.model_id, verdict.outputs,
              verdict.classified_at,
              EXISTS (SELECT 1 FROM explanation e
                       WHERE e.image_id = latest.id AND e.model_id = verdict.model_id) AS explained,
              alarm.alarm_id, alarm.state AS alarm_state, alarm.severity AS alarm_severity,
              alarm.since AS alarm_since, alarm.event AS alarm_event, alarm.by AS alarm_by,
              alarm.reason AS alarm_reason, alarm.shelved_until AS alarm_shelved_until,
              alarm.occurred_at AS alarm_occurred_at,
              acknowledgement.by AS acknowledged_by, acknowledgement.occurred_at AS acknowledged_at
         FROM plot_type pt
         LEFT JOIN LATERAL (
           SELECT i.id, i.run_number, i.chunk, i.captured_at, i.ingested_at FROM image i
            WHERE i.plot_type = pt.name ORDER BY i.captured_at DESC LIMIT 1) latest ON true
         LEFT JOIN LATERAL (
           SELECT c.verdict, c.confidence, c.confirmed, c.model_id, c.outputs, c.classified_at
             FROM classification c
            WHERE c.image_id = latest.id ORDER BY c.classified_at DESC LIMIT 1) verdict ON true
         LEFT JOIN LATERAL (
           SELECT a.alarm_id, a.state, a.severity, a.since, a.event, a.by, a.reason, a.shelved_until,
                  a.occurred_at
             FROM alarm a WHERE a.plot_type = pt.name ORDER BY a.occurred_at DESC LIMIT 1) alarm ON true
         LEFT JOIN LATERAL (
           SELECT a.by, a.occurred_at FROM alarm a
            WHERE a.alarm_id = alarm.alarm_id AND a.event = 'acknowledged'
            ORDER BY a.occurred_at DESC LIMIT 1) acknowledgement ON alarm.state = 'active-acknowledged'
        WHERE $1 OR NOT pt.hidden
        ORDER BY pt.group_name NULLS LAST, pt.name`,
      [includeHidden],
    );
  }

  /**
   * Mean P(Good) − P(Bad) per plot type and time bucket since `from` (a missing output counts as 0).
   * Buckets are aligned to the epoch so that consecutive reads agree on them.
   */
  sparklines(from: Date, bucketSeconds: number): Promise<SparklineRow[]> {
    return this.dataSource.query(
      `SELECT i.plot_type, date_bin(make_interval(secs => $2), c.classified_at, 'epoch') AS bucket_start,
              avg(coalesce((c.outputs->>'Good')::float8, 0) - coalesce((c.outputs->>'Bad')::float8, 0))::float8
                AS value
         FROM classification c JOIN image i ON i.id = c.image_id
        WHERE c.classified_at >= $1
        GROUP BY 1, 2`,
      [from, bucketSeconds],
    );
  }

  /** The run condition in force and the highest run number of any plot type. */
  async header(): Promise<RunHeaderRow> {
    const [row] = await this.dataSource.query(
      `SELECT condition.beam_on, condition.beam_current, condition.occurred_at AS condition_since,
              (SELECT max(newest.run_number) FROM plot_type pt
                 CROSS JOIN LATERAL (SELECT i.run_number FROM image i WHERE i.plot_type = pt.name
                                      ORDER BY i.run_number DESC LIMIT 1) newest) AS run_number
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT rc.beam_on, rc.beam_current, rc.occurred_at FROM run_condition rc
                             ORDER BY rc.occurred_at DESC LIMIT 1) condition ON true`,
    );
    return row as RunHeaderRow;
  }
}
