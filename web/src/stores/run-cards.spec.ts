import type { AlarmEvent, RunAlarmDto, RunPlotDto } from '@hydra/contracts';
import { describe, expect, it } from 'vitest';
import {
  addToSparkline,
  alarmFromEvent,
  formatAge,
  groupPlots,
  isStale,
  orderPlots,
  staleAfterSeconds,
  UNGROUPED,
} from './run-cards';

const alarm = (state: RunAlarmDto['state']): RunAlarmDto => ({
  alarmId: '00000000-0000-4000-8000-000000000001',
  state,
  severity: 'major',
  since: '2026-01-01T00:00:00Z',
  event: 'raised',
  changedAt: '2026-01-01T00:00:00Z',
  acknowledged: null,
  shelved: null,
});

function plot(name: string, verdict: string | null, extra: Partial<RunPlotDto> = {}): RunPlotDto {
  return {
    name,
    group: null,
    hidden: false,
    image: { id: `${name}-image`, runNumber: 1, chunk: null, capturedAt: '', receivedAt: '' },
    verdict: verdict
      ? { verdict, confidence: 0.9, confirmed: true, modelId: null, outputs: {}, classifiedAt: '' }
      : null,
    ageSeconds: 1,
    heatmapUrl: null,
    alarm: null,
    sparkline: [],
    ...extra,
  };
}

/** Sparkline points `gapSeconds` apart, ending now. */
const everySeconds = (gapSeconds: number, count: number) =>
  Array.from({ length: count }, (_, index) => ({
    t: new Date(Date.UTC(2026, 0, 1) + index * gapSeconds * 1000).toISOString(),
    value: 1,
  }));

describe('card order', () => {
  it('puts alarms first, then Bad, then other verdicts, then Good, then plot types without images', () => {
    const plots = [
      plot('a-good', 'Good'),
      plot('b-empty', null, { image: null }),
      plot('c-nodata', 'NoData'),
      plot('d-bad', 'Bad'),
      plot('e-alarm', 'Good', { alarm: alarm('active-unacknowledged') }),
    ];
    expect(orderPlots(plots).map((entry) => entry.name)).toEqual([
      'e-alarm',
      'd-bad',
      'c-nodata',
      'a-good',
      'b-empty',
    ]);
  });

  it('counts an unconfirmed Good as needing a look, and a cleared alarm as none', () => {
    const unconfirmed = plot('b', 'Good', {
      verdict: {
        verdict: 'Good',
        confidence: 0.4,
        confirmed: false,
        modelId: null,
        outputs: {},
        classifiedAt: '',
      },
    });
    const cleared = plot('a', 'Good', { alarm: alarm('normal') });
    expect(orderPlots([cleared, unconfirmed]).map((entry) => entry.name)).toEqual(['b', 'a']);
  });

  it('orders ties by name so cards do not jump', () => {
    expect(orderPlots([plot('b', 'Bad'), plot('a', 'Bad')]).map((entry) => entry.name)).toEqual(['a', 'b']);
  });

  it('groups by detector system, the group with the worst card first and the ungrouped last', () => {
    const groups = groupPlots([
      plot('fcal', 'Good', { group: 'FCAL' }),
      plot('misc', 'Good'),
      plot('cdc-1', 'Good', { group: 'CDC' }),
      plot('cdc-2', 'Bad', { group: 'CDC' }),
      plot('bcal', 'Good', { group: 'BCAL' }),
    ]);
    expect(groups.map((group) => group.name)).toEqual(['CDC', 'BCAL', 'FCAL', UNGROUPED]);
    expect(groups[0]?.plots.map((entry) => entry.name)).toEqual(['cdc-2', 'cdc-1']);
  });
});

describe('staleness', () => {
  it('waits 10 min when the last hour has too few images to know the interval', () => {
    expect(staleAfterSeconds(everySeconds(30, 2))).toBe(600);
    expect(isStale(599, [])).toBe(false);
    expect(isStale(601, [])).toBe(true);
  });

  it('is 5× the median interval for a slow plot type', () => {
    expect(staleAfterSeconds(everySeconds(300, 10))).toBe(1500);
  });

  it('never turns stale sooner than 2.5 min (5 buckets), however fast images come', () => {
    expect(staleAfterSeconds(everySeconds(30, 100))).toBe(150);
    expect(isStale(140, everySeconds(30, 100))).toBe(false);
    expect(isStale(160, everySeconds(30, 100))).toBe(true);
  });

  it('is never stale without an image', () => {
    expect(isStale(null, [])).toBe(false);
  });
});

describe('sparkline', () => {
  const now = Date.UTC(2026, 0, 1, 12);

  it('averages verdicts of the same 30-s bucket', () => {
    let points = addToSparkline([], now - 10_000, 1, now);
    points = addToSparkline(points, now - 5_000, -1, now);
    expect(points).toHaveLength(1);
    expect(points[0]?.value).toBe(0);
  });

  it('appends a new bucket, keeps time order and forgets what is older than an hour', () => {
    const old = { t: new Date(now - 3_700_000).toISOString(), value: 1 };
    const recent = { t: new Date(now - 60_000).toISOString(), value: 0.5 };
    const points = addToSparkline([old, recent], now - 120_000, -1, now);
    expect(points.map((point) => point.value)).toEqual([-1, 0.5]);
  });
});

describe('alarm transitions', () => {
  const event = (overrides: Partial<AlarmEvent>): AlarmEvent => ({
    id: '00000000-0000-4000-8000-000000000009',
    occurredAt: '2026-01-01T00:01:00.000Z',
    alarmId: '00000000-0000-4000-8000-000000000001',
    event: 'raised',
    plotType: 'FCAL',
    severity: 'major',
    state: 'active-unacknowledged',
    since: '2026-01-01T00:00:00Z',
    imageId: null,
    verdict: 'Bad',
    confidence: 0.9,
    by: null,
    ...overrides,
  });

  it('records who acknowledged and keeps it on later transitions of the same alarm', () => {
    const acknowledged = alarmFromEvent(
      null,
      event({ event: 'acknowledged', state: 'active-acknowledged', by: 'ana' }),
    );
    expect(acknowledged.acknowledged).toEqual({ by: 'ana', at: '2026-01-01T00:01:00.000Z' });
    const shelved = alarmFromEvent(acknowledged, event({ event: 'shelved', state: 'shelved', by: 'bo' }));
    expect(shelved.acknowledged?.by).toBe('ana');
    expect(shelved.shelved).toEqual({ by: 'bo', reason: null, until: null });
  });

  it('starts a new alarm unacknowledged', () => {
    const previous = alarmFromEvent(
      null,
      event({ event: 'acknowledged', state: 'active-acknowledged', by: 'ana' }),
    );
    const raised = alarmFromEvent(previous, event({ alarmId: '00000000-0000-4000-8000-000000000002' }));
    expect(raised.acknowledged).toBeNull();
    expect(raised.state).toBe('active-unacknowledged');
  });
});

describe('age', () => {
  it('reads as seconds, minutes, hours or days ago', () => {
    expect(formatAge(12.4)).toBe('12 s ago');
    expect(formatAge(300)).toBe('5 min ago');
    expect(formatAge(3 * 3600 + 300)).toBe('3 h 5 min ago');
    expect(formatAge(3 * 86_400)).toBe('3 d ago');
    expect(formatAge(null)).toBe('never');
  });
});
