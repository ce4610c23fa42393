import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_FILTERS, filterOptions, logQuery, logSummary, verdictText } from './log-query';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('logQuery', () => {
  it('asks for the last 24 h by default, leaving out the filters not set', () => {
    expect(logQuery(DEFAULT_LOG_FILTERS, NOW)).toEqual({
      from: '2026-02-28T12:00:00.000Z',
      plotType: undefined,
      group: undefined,
      runFrom: undefined,
      runTo: undefined,
      format: undefined,
    });
  });

  it('carries the filters, swaps a reversed run range and asks for CSV', () => {
    const query = logQuery(
      { windowHours: 1, plotType: 'FCAL_occupancy', group: 'FCAL', runFrom: 3010, runTo: 3001 },
      NOW,
      'csv',
    );
    expect(query).toEqual({
      from: '2026-03-01T11:00:00.000Z',
      plotType: 'FCAL_occupancy',
      group: 'FCAL',
      runFrom: 3001,
      runTo: 3010,
      format: 'csv',
    });
  });

  it('keeps run 0 (a falsy number) as a bound', () => {
    expect(logQuery({ ...DEFAULT_LOG_FILTERS, runFrom: 0 }, NOW).runFrom).toBe(0);
  });
});

describe('filterOptions', () => {
  it('lists plot types and distinct groups, sorted', () => {
    expect(
      filterOptions([
        { name: 'b', group: 'CDC' },
        { name: 'a', group: null },
        { name: 'c', group: 'CDC' },
        { name: 'd', group: 'BCAL' },
      ]),
    ).toEqual({ plotTypes: ['a', 'b', 'c', 'd'], groups: ['BCAL', 'CDC'] });
  });
});

describe('verdict words and the summary', () => {
  const entry = (plotType: string, confirmed: boolean) => ({
    classifiedAt: '',
    plotType,
    group: null,
    runNumber: 1,
    chunk: null,
    capturedAt: '',
    imageId: plotType,
    modelId: null,
    verdict: 'Bad',
    confidence: 0.9,
    confirmed,
  });
  it('says whether a verdict is confirmed in words', () => {
    expect(verdictText({ verdict: 'Bad', confirmed: true })).toBe('Bad (confirmed)');
    expect(verdictText({ verdict: 'Bad', confirmed: false })).toBe('Bad (unconfirmed)');
  });
  it('counts verdicts, confirmed ones and plot types', () => {
    expect(logSummary([entry('a', true), entry('a', false), entry('b', true)])).toEqual({
      total: 3,
      confirmed: 2,
      plotTypes: 2,
    });
  });
});
