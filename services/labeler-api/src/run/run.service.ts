import {
  type AlarmSeverity,
  type AlarmState,
  type RunAlarmDto,
  type RunPlotDto,
  type RunSnapshotDto,
  type SparklinePointDto,
} from '@hydra/contracts';
import { Injectable } from '@nestjs/common';
import { type RunPlotRow, RunRepository } from './run.repository';
import { SparklineCache } from './sparkline.cache';

/** The Run dashboard: the state of every plot type, built from a few index walks per call. */
@Injectable()
export class RunService {
  constructor(
    private readonly repository: RunRepository,
    private readonly sparklines: SparklineCache,
  ) {}

  async snapshot(includeHidden: boolean): Promise<RunSnapshotDto> {
    const now = new Date();
    const [rows, header, sparklines] = await Promise.all([
      this.repository.plots(includeHidden),
      this.repository.header(),
      this.sparklines.current(now),
    ]);
    return {
      generatedAt: now.toISOString(),
      runCondition:
        header.beam_on === null || header.condition_since === null
          ? null
          : {
              beamOn: header.beam_on,
              beamCurrent: header.beam_current,
              since: header.condition_since.toISOString(),
            },
      runNumber: header.run_number,
      plots: rows.map((row) => toPlot(row, sparklines.get(row.name) ?? [])),
    };
  }
}

function toPlot(row: RunPlotRow, sparkline: SparklinePointDto[]): RunPlotDto {
  const image =
    row.image_id === null
      ? null
      : {
          id: row.image_id,
          runNumber: row.run_number as number,
          chunk: row.chunk,
          capturedAt: (row.captured_at as Date).toISOString(),
          receivedAt: (row.ingested_at as Date).toISOString(),
        };
  const verdict =
    row.verdict === null
      ? null
      : {
          verdict: row.verdict,
          confidence: row.confidence as number,
          confirmed: row.confirmed as boolean,
          modelId: row.model_id,
          outputs: row.outputs ?? {},
          classifiedAt: (row.classified_at as Date).toISOString(),
        };
  return {
    name: row.name,
    group: row.group_name,
    hidden: row.hidden,
    image,
    verdict,
    // Clocks of the database and a replica may differ by a little; a negative age means "just now".
    ageSeconds: row.age_seconds === null ? null : Math.max(0, Math.round(row.age_seconds)),
    heatmapUrl:
      row.explained && row.image_id && row.model_id
        ? `/api/images/${row.image_id}/heatmaps/${row.model_id}`
        : null,
    alarm: toAlarm(row),
    sparkline,
  };
}

function toAlarm(row: RunPlotRow): RunAlarmDto | null {
  if (row.alarm_id === null) return null;
  const state = row.alarm_state as AlarmState;
  return {
    alarmId: row.alarm_id,
    state,
    severity: row.alarm_severity as AlarmSeverity,
    since: (row.alarm_since as Date).toISOString(),
    event: row.alarm_event as string,
    changedAt: (row.alarm_occurred_at as Date).toISOString(),
    acknowledged: row.acknowledged_at
      ? { by: row.acknowledged_by, at: row.acknowledged_at.toISOString() }
      : null,
    shelved:
      state === 'shelved'
        ? {
            by: row.alarm_by,
            reason: row.alarm_reason,
            until: row.alarm_shelved_until?.toISOString() ?? null,
          }
        : null,
  };
}
