import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AlarmPolicy } from '../alarms/alarm-rules';
import { CLASSIFIER_CONFIG, type ClassifierConfig } from '../classifier.config';

/** What the classifier needs to know about a plot type, read fresh for every batch. */
export interface PlotTypeSettings {
  name: string;
  activeModelId: string | null;
  collectPercent: number;
  alarm: AlarmPolicy;
  /** The active model's confirmation thresholds, `{label: threshold}`. */
  thresholds: Record<string, number>;
}

interface SettingsRow {
  name: string;
  active_model_id: string | null;
  collect_percent: number;
  alarm_on_delay: number;
  alarm_off_delay: number;
  alarm_severity: AlarmPolicy['severity'];
  alarm_enabled: boolean;
  thresholds: Record<string, number> | null;
}

/** Reads plot-type settings with the active model's thresholds (both written by labeler-api). */
@Injectable()
export class PlotTypeSettingsRepository {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLASSIFIER_CONFIG) private readonly config: ClassifierConfig,
  ) {}

  async load(names: string[]): Promise<Map<string, PlotTypeSettings>> {
    const rows: SettingsRow[] = await this.dataSource.query(
      `SELECT name, active_model_id, collect_percent, alarm_on_delay, alarm_off_delay, alarm_severity, alarm_enabled,
              (SELECT jsonb_object_agg(label, threshold) FROM model_threshold WHERE model_id = active_model_id) AS thresholds
         FROM plot_type WHERE name = ANY($1)`,
      [names],
    );
    return new Map(rows.map((row) => [row.name, toSettings(row, this.config.maxShelfMs)]));
  }

  async loadOne(name: string): Promise<PlotTypeSettings | null> {
    return (await this.load([name])).get(name) ?? null;
  }
}

function toSettings(row: SettingsRow, maxShelfMs: number): PlotTypeSettings {
  return {
    name: row.name,
    activeModelId: row.active_model_id,
    collectPercent: row.collect_percent,
    alarm: {
      onDelay: row.alarm_on_delay,
      offDelay: row.alarm_off_delay,
      severity: row.alarm_severity,
      enabled: row.alarm_enabled,
      maxShelfMs,
    },
    thresholds: row.thresholds ?? {},
  };
}
