import type { LatencyBucketDto, ServiceHealthDto, StageLatencyDto } from '@hydra/contracts';

/** "850 ms", "1.5 s", "2 min": a latency as a person reads it. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toPrecision(3))} s`;
  return `${Number((ms / 60_000).toPrecision(3))} min`;
}

/** A bucket's label: "100–250 ms", "≥ 60 s" for the overflow. */
export function bucketLabel(bucket: LatencyBucketDto): string {
  if (bucket.toMs === null) return `≥ ${formatMs(bucket.fromMs)}`;
  return `${formatMs(bucket.fromMs)}–${formatMs(bucket.toMs)}`;
}

/** The bucket a latency falls in, by label; null when there is none. */
export function bucketOf(buckets: LatencyBucketDto[], ms: number | null): string | null {
  if (ms === null) return null;
  const bucket = buckets.find((entry) => ms >= entry.fromMs && (entry.toMs === null || ms < entry.toMs));
  return bucket ? bucketLabel(bucket) : null;
}

export const STAGE_TITLES: Record<StageLatencyDto['stage'], string> = {
  'ingest-to-classified': 'File received → verdict',
  'classified-to-explained': 'Verdict → heat map',
};

export interface HistogramChart {
  title: string;
  categories: string[];
  counts: number[];
  /** "p50 120 ms · p99 1.2 s · 1,234 images". */
  summary: string;
  /** Where the percentiles fall, for the chart's mark lines. */
  marks: { name: 'p50' | 'p99'; category: string; ms: number }[];
}

/** One stage's histogram as a bar chart: buckets in order, empty edges trimmed, percentiles marked. */
export function histogramChart(stage: StageLatencyDto): HistogramChart {
  const buckets = [...stage.buckets].sort((a, b) => a.fromMs - b.fromMs);
  let first = buckets.findIndex((bucket) => bucket.count > 0);
  let last = buckets.length - 1 - [...buckets].reverse().findIndex((bucket) => bucket.count > 0);
  if (first < 0) [first, last] = [0, buckets.length - 1];
  // Keep one empty bucket either side, so the shape has edges.
  const shown = buckets.slice(Math.max(0, first - 1), Math.min(buckets.length, last + 2));
  const marks: HistogramChart['marks'] = [];
  for (const [name, ms] of [
    ['p50', stage.p50Ms],
    ['p99', stage.p99Ms],
  ] as const) {
    const category = bucketOf(shown, ms);
    if (category !== null && ms !== null) marks.push({ name, category, ms });
  }
  return {
    title: STAGE_TITLES[stage.stage] ?? stage.stage,
    categories: shown.map(bucketLabel),
    counts: shown.map((bucket) => bucket.count),
    summary:
      `p50 ${formatMs(stage.p50Ms)} · p99 ${formatMs(stage.p99Ms)} · ` +
      `${stage.count.toLocaleString('en-US')} image${stage.count === 1 ? '' : 's'}`,
    marks,
  };
}

export interface CalendarData {
  /** `[first day, last day]`, `YYYY-MM-DD`, for the calendar's range. */
  range: [string, string];
  /** `[day, count]` for every day in the range that had images. */
  data: [string, number][];
  max: number;
  total: number;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Images per UTC day as calendar heat-map data: the `days` days up to `todayMs`. */
export function calendarData(
  imagesPerDay: { day: string; count: number }[],
  todayMs: number,
  days = 365,
): CalendarData {
  const last = dayOf(todayMs);
  const first = dayOf(todayMs - (days - 1) * 86_400_000);
  const data = imagesPerDay
    .map(({ day, count }) => [day.slice(0, 10), count] as [string, number])
    .filter(([day, count]) => day >= first && day <= last && count > 0)
    .sort((a, b) => a[0].localeCompare(b[0]));
  return {
    range: [first, last],
    data,
    max: Math.max(1, ...data.map(([, count]) => count)),
    total: data.reduce((sum, [, count]) => sum + count, 0),
  };
}

/** A service's health in words and a symbol (never colour alone). */
export function healthText(
  service: Pick<ServiceHealthDto, 'status' | 'httpStatus' | 'error' | 'latencyMs'>,
): {
  icon: string;
  text: string;
  detail: string;
  type: 'success' | 'error' | 'warning';
} {
  switch (service.status) {
    case 'up':
      return { icon: '✓', text: 'Up', detail: `answered in ${formatMs(service.latencyMs)}`, type: 'success' };
    case 'down':
      return {
        icon: '✕',
        text: 'Down',
        detail: `HTTP ${service.httpStatus ?? '?'}${service.error ? `: ${service.error}` : ''}`,
        type: 'error',
      };
    default:
      return {
        icon: '⚠',
        text: 'Unreachable',
        detail: service.error ?? `no answer within ${formatMs(service.latencyMs)}`,
        type: 'warning',
      };
  }
}
