import type { StageLatencyDto } from '@hydra/contracts';
import { describe, expect, it } from 'vitest';
import { bucketLabel, calendarData, formatMs, healthText, histogramChart } from './status-charts';

const stage: StageLatencyDto = {
  stage: 'ingest-to-classified',
  count: 12,
  p50Ms: 180,
  p99Ms: 2400,
  buckets: [
    { fromMs: 500, toMs: 1000, count: 2 },
    { fromMs: 0, toMs: 50, count: 0 },
    { fromMs: 50, toMs: 100, count: 0 },
    { fromMs: 100, toMs: 250, count: 7 },
    { fromMs: 250, toMs: 500, count: 0 },
    { fromMs: 1000, toMs: 5000, count: 3 },
    { fromMs: 5000, toMs: 10_000, count: 0 },
    { fromMs: 10_000, toMs: 30_000, count: 0 },
    { fromMs: 30_000, toMs: null, count: 0 },
  ],
};

describe('formatMs and bucket labels', () => {
  it('reads as a person would say it', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(850)).toBe('850 ms');
    expect(formatMs(1500)).toBe('1.5 s');
    expect(formatMs(120_000)).toBe('2 min');
    expect(bucketLabel({ fromMs: 100, toMs: 250, count: 0 })).toBe('100 ms–250 ms');
    expect(bucketLabel({ fromMs: 30_000, toMs: null, count: 0 })).toBe('≥ 30 s');
  });
});

describe('histogramChart', () => {
  it('orders the buckets, trims empty edges to one each side and marks p50 and p99', () => {
    const chart = histogramChart(stage);
    expect(chart.title).toBe('File received → verdict');
    expect(chart.categories).toEqual([
      '50 ms–100 ms',
      '100 ms–250 ms',
      '250 ms–500 ms',
      '500 ms–1 s',
      '1 s–5 s',
      '5 s–10 s',
    ]);
    expect(chart.counts).toEqual([0, 7, 0, 2, 3, 0]);
    expect(chart.marks).toEqual([
      { name: 'p50', category: '100 ms–250 ms', ms: 180 },
      { name: 'p99', category: '1 s–5 s', ms: 2400 },
    ]);
    expect(chart.summary).toBe('p50 180 ms · p99 2.4 s · 12 images');
  });

  it('keeps every bucket and no marks when nothing was measured', () => {
    const chart = histogramChart({
      ...stage,
      count: 0,
      p50Ms: null,
      p99Ms: null,
      buckets: stage.buckets.map((bucket) => ({ ...bucket, count: 0 })),
    });
    expect(chart.categories).toHaveLength(stage.buckets.length);
    expect(chart.marks).toEqual([]);
    expect(chart.summary).toBe('p50 — · p99 — · 0 images');
  });
});

describe('calendarData', () => {
  it('spans the days up to today and keeps the days inside with images', () => {
    const data = calendarData(
      [
        { day: '2026-03-01', count: 40 },
        { day: '2026-02-27T00:00:00.000Z', count: 5 },
        { day: '2025-01-01', count: 99 },
        { day: '2026-02-28', count: 0 },
      ],
      Date.parse('2026-03-01T18:00:00Z'),
      7,
    );
    expect(data.range).toEqual(['2026-02-23', '2026-03-01']);
    expect(data.data).toEqual([
      ['2026-02-27', 5],
      ['2026-03-01', 40],
    ]);
    expect(data.max).toBe(40);
    expect(data.total).toBe(45);
  });

  it('has a scale even without images', () => {
    expect(calendarData([], Date.parse('2026-03-01T00:00:00Z')).max).toBe(1);
  });
});

describe('healthText', () => {
  it('says up, down and unreachable with a symbol and words', () => {
    expect(healthText({ status: 'up', httpStatus: 200, error: null, latencyMs: 12 })).toMatchObject({
      icon: '✓',
      text: 'Up',
      detail: 'answered in 12 ms',
    });
    expect(healthText({ status: 'down', httpStatus: 503, error: 'db', latencyMs: 5 })).toMatchObject({
      icon: '✕',
      text: 'Down',
      detail: 'HTTP 503: db',
    });
    expect(
      healthText({ status: 'unreachable', httpStatus: null, error: null, latencyMs: 2000 }),
    ).toMatchObject({
      icon: '⚠',
      text: 'Unreachable',
      detail: 'no answer within 2 s',
    });
  });
});
