import type { LogEntryDto } from '@hydra/contracts';
import { LOG_MAX_WINDOW_DAYS } from '@hydra/contracts';

/** The windows the log offers, ending now; the server allows at most `LOG_MAX_WINDOW_DAYS`. */
export const LOG_WINDOWS = [
  { label: 'Last hour', hours: 1 },
  { label: 'Last 8 hours (a shift)', hours: 8 },
  { label: 'Last 24 hours', hours: 24 },
  { label: 'Last 3 days', hours: 72 },
  { label: 'Last 7 days', hours: 168 },
  { label: `Last ${LOG_MAX_WINDOW_DAYS} days`, hours: LOG_MAX_WINDOW_DAYS * 24 },
] as const;

export interface LogFilters {
  /** Hours back from now. */
  windowHours: number;
  plotType: string | null;
  group: string | null;
  runFrom: number | null;
  runTo: number | null;
}

export const DEFAULT_LOG_FILTERS: LogFilters = {
  windowHours: 24,
  plotType: null,
  group: null,
  runFrom: null,
  runTo: null,
};

export type LogQuery = Record<string, string | number | undefined>;

/** The query string of `GET /api/log` for the filters, the window ending at `nowMs`. */
export function logQuery(filters: LogFilters, nowMs: number, format: 'json' | 'csv' = 'json'): LogQuery {
  let { runFrom, runTo } = filters;
  // A reversed range is what the user meant the other way round (the server would refuse it).
  if (runFrom !== null && runTo !== null && runFrom > runTo) [runFrom, runTo] = [runTo, runFrom];
  return {
    from: new Date(nowMs - filters.windowHours * 3_600_000).toISOString(),
    plotType: filters.plotType ?? undefined,
    group: filters.group ?? undefined,
    runFrom: runFrom ?? undefined,
    runTo: runTo ?? undefined,
    format: format === 'csv' ? 'csv' : undefined,
  };
}

/** Plot types and groups to filter by, sorted, from the plot types' settings. */
export function filterOptions(plotTypes: { name: string; group: string | null }[]): {
  plotTypes: string[];
  groups: string[];
} {
  const groups = new Set(plotTypes.flatMap((plotType) => (plotType.group ? [plotType.group] : [])));
  return {
    plotTypes: plotTypes.map((plotType) => plotType.name).sort((a, b) => a.localeCompare(b)),
    groups: [...groups].sort((a, b) => a.localeCompare(b)),
  };
}

/** What a row means in words: "Bad (confirmed)" or "Bad (unconfirmed)". */
export function verdictText(entry: Pick<LogEntryDto, 'verdict' | 'confirmed'>): string {
  return `${entry.verdict} (${entry.confirmed ? 'confirmed' : 'unconfirmed'})`;
}

/** Counts for the summary line. */
export function logSummary(entries: LogEntryDto[]): { total: number; confirmed: number; plotTypes: number } {
  return {
    total: entries.length,
    confirmed: entries.filter((entry) => entry.confirmed).length,
    plotTypes: new Set(entries.map((entry) => entry.plotType)).size,
  };
}
