import {
  LOG_MAX_ROWS,
  LOG_MAX_WINDOW_DAYS,
  type LogDto,
  type LogEntryDto,
  type LogQueryDto,
} from '@hydra/contracts';
import { BadRequestException, Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import { type LogRow, LogRepository } from './log.repository';

const DAY_MS = 86_400_000;

/** The CSV columns, in order; the header row names them the same as the JSON fields. */
const CSV_COLUMNS: (keyof LogEntryDto)[] = [
  'classifiedAt',
  'plotType',
  'group',
  'runNumber',
  'chunk',
  'capturedAt',
  'imageId',
  'modelId',
  'verdict',
  'confidence',
  'confirmed',
];

/** The verdicts log: the window and its limits, and the CSV rendering of it. */
@Injectable()
export class LogService {
  constructor(private readonly repository: LogRepository) {}

  async entries(query: LogQueryDto): Promise<LogDto> {
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DAY_MS);
    if (from >= to)
      throw new BadRequestException(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
    if (to.getTime() - from.getTime() > LOG_MAX_WINDOW_DAYS * DAY_MS)
      throw new BadRequestException(
        `the log window is at most ${LOG_MAX_WINDOW_DAYS} days; ${from.toISOString()} to ${to.toISOString()} is longer`,
      );
    // One row more than the cap tells whether the reply was cut.
    const rows = await this.repository.entries(
      { from, to, plotType: query.plotType, group: query.group, runFrom: query.runFrom, runTo: query.runTo },
      LOG_MAX_ROWS + 1,
    );
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      truncated: rows.length > LOG_MAX_ROWS,
      entries: rows.slice(0, LOG_MAX_ROWS).map(toEntry),
    };
  }

  /** A header row, then one row per entry; timestamps in ISO 8601, booleans as true/false. */
  toCsv(log: LogDto): string {
    return stringify(log.entries, {
      header: true,
      columns: CSV_COLUMNS,
      cast: { boolean: (value) => String(value) },
    });
  }

  /** `hydra-log-<from>-<to>.csv`, safe in a Content-Disposition header. */
  csvFileName(log: LogDto): string {
    const stamp = (iso: string) => iso.replace(/[:.]/g, '-');
    return `hydra-log-${stamp(log.from)}-${stamp(log.to)}.csv`;
  }
}

function toEntry(row: LogRow): LogEntryDto {
  return {
    classifiedAt: row.classified_at.toISOString(),
    plotType: row.plot_type,
    group: row.group_name,
    runNumber: row.run_number,
    chunk: row.chunk,
    capturedAt: row.captured_at.toISOString(),
    imageId: row.image_id,
    modelId: row.model_id,
    verdict: row.verdict,
    confidence: row.confidence,
    confirmed: row.confirmed,
  };
}
