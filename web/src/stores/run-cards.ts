import type { AlarmEvent, RunAlarmDto, RunPlotDto, SparklinePointDto } from '@hydra/contracts';

/** The Run page's rules, kept pure so they can be read and tested without a browser. */

/** Alarm states that need the shift's attention (ISA-18.2: active, or returned and not yet acknowledged). */
const ATTENTION_STATES = new Set(['active-unacknowledged', 'active-acknowledged', 'returned-unacknowledged']);

export function alarmNeedsAttention(alarm: RunAlarmDto | null): alarm is RunAlarmDto {
  return alarm !== null && ATTENTION_STATES.has(alarm.state);
}

export function alarmIsUnacknowledged(alarm: RunAlarmDto | null): boolean {
  return alarm !== null && alarm.state.endsWith('-unacknowledged');
}

/** 0 = look first: an alarm, then Bad, then anything else that is not Good, then Good, then no image at all. */
export function attentionRank(plot: RunPlotDto): number {
  if (alarmNeedsAttention(plot.alarm)) return 0;
  const verdict = plot.verdict?.verdict;
  if (verdict === undefined) return plot.image ? 2 : 4;
  if (verdict === 'Bad') return 1;
  if (verdict === 'Good') return plot.verdict?.confirmed ? 3 : 2;
  return 2;
}

/** Bad plot types float to the top; ties by name so cards do not jump around. */
export function orderPlots<P extends RunPlotDto>(plots: P[]): P[] {
  return [...plots].sort((a, b) => attentionRank(a) - attentionRank(b) || a.name.localeCompare(b.name));
}

export interface PlotGroup<P> {
  name: string;
  plots: P[];
}

/** The plot types without a group. */
export const UNGROUPED = 'Other';

/** Cards by detector system; the group holding the worst card first, each group Bad-first. */
export function groupPlots<P extends RunPlotDto>(plots: P[]): PlotGroup<P>[] {
  const groups = new Map<string, P[]>();
  for (const plot of orderPlots(plots)) {
    const name = plot.group ?? UNGROUPED;
    groups.set(name, [...(groups.get(name) ?? []), plot]);
  }
  const worst = (group: P[]) => Math.min(...group.map(attentionRank));
  return [...groups.entries()]
    .map(([name, members]) => ({ name, plots: members }))
    .sort(
      (a, b) =>
        worst(a.plots) - worst(b.plots) ||
        Number(a.name === UNGROUPED) - Number(b.name === UNGROUPED) ||
        a.name.localeCompare(b.name),
    );
}

/** Sparkline bucket width (the server's: an hour in `RUN_SPARKLINE_POINTS` buckets). */
export const SPARKLINE_BUCKET_MS = 30_000;
const HOUR_MS = 3_600_000;

/** A sparkline point with how many verdicts its mean holds (snapshot points count as one). */
export type SparkPoint = SparklinePointDto & { count?: number };

/** P(Good) − P(Bad) of one verdict: +1 sure Good, −1 sure Bad. */
export function goodMinusBad(outputs: Record<string, number>): number {
  return (outputs['Good'] ?? 0) - (outputs['Bad'] ?? 0);
}

/** Adds one verdict to its 30-s bucket (a running mean) and drops what is older than an hour. */
export function addToSparkline(
  points: SparkPoint[],
  atMs: number,
  value: number,
  nowMs: number,
): SparkPoint[] {
  const start = Math.floor(atMs / SPARKLINE_BUCKET_MS) * SPARKLINE_BUCKET_MS;
  const next = points.filter((point) => Date.parse(point.t) >= nowMs - HOUR_MS);
  const index = next.findIndex((point) => Date.parse(point.t) === start);
  const existing = next[index];
  if (existing) {
    const count = existing.count ?? 1;
    next[index] = { t: existing.t, value: (existing.value * count + value) / (count + 1), count: count + 1 };
  } else if (start >= nowMs - HOUR_MS) {
    next.push({ t: new Date(start).toISOString(), value, count: 1 });
    next.sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
  }
  return next;
}

/** Without enough history: an image older than this is stale. */
export const STALE_DEFAULT_SECONDS = 600;
/** Stale after this many usual intervals without an image. */
export const STALE_INTERVALS = 5;

/**
 * The staleness rule: a plot type is stale when its newest image is older than 5× its median
 * interval, estimated from the gaps between the last hour's sparkline buckets (30 s resolution,
 * so never under 2.5 min); with fewer than 3 buckets in the hour, after 10 min.
 */
export function staleAfterSeconds(sparkline: SparklinePointDto[]): number {
  if (sparkline.length < 3) return STALE_DEFAULT_SECONDS;
  const times = sparkline.map((point) => Date.parse(point.t)).sort((a, b) => a - b);
  const gaps = times.slice(1).map((time, index) => (time - (times[index] as number)) / 1000);
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  return STALE_INTERVALS * median;
}

export function isStale(ageSeconds: number | null, sparkline: SparklinePointDto[]): boolean {
  return ageSeconds !== null && ageSeconds > staleAfterSeconds(sparkline);
}

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatAge(seconds: number | null): string {
  if (seconds === null) return 'never';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** A plot type's alarm after one live transition, keeping what the event does not carry. */
export function alarmFromEvent(previous: RunAlarmDto | null, event: AlarmEvent): RunAlarmDto {
  const same = previous?.alarmId === event.alarmId ? previous : null;
  const by = event.by ?? null;
  const reason = (event as AlarmEvent & { reason?: string | null }).reason ?? null;
  return {
    alarmId: event.alarmId,
    state: event.state,
    severity: event.severity,
    since: event.since,
    event: event.event,
    changedAt: event.occurredAt,
    acknowledged:
      event.event === 'acknowledged'
        ? { by, at: event.occurredAt }
        : event.event === 'raised' || event.event === 'returned'
          ? null
          : (same?.acknowledged ?? null),
    shelved:
      event.state !== 'shelved'
        ? null
        : event.event === 'shelved'
          ? { by, reason, until: null }
          : (same?.shelved ?? null),
  };
}
