import { parseResidentBytes } from './process-memory';
import { latencyChartSvg, memoryChartSvg } from './soak-charts';
import { latencyPerMinute, resultsMarkdown, type SoakResults } from './soak-results';

function results(overrides: Partial<SoakResults> = {}): SoakResults {
  return {
    options: { minutes: 2, rate: 20, labelEveryS: 5, store: 'local', drainS: 300 },
    startedAt: '2026-12-01T22:00:00.000Z',
    services: ['classifier 1', 'ingest'],
    sent: 2400,
    judged: 2400,
    classificationRows: 2400,
    lost: 0,
    drainedAfterS: 1.5,
    latency: [
      { minute: 1, sent: 1200, judged: 1200, p50Ms: 410, p99Ms: 900, maxMs: 1200 },
      { minute: 2, sent: 1200, judged: 1200, p50Ms: 420, p99Ms: 950, maxMs: 1300 },
    ],
    samples: [
      { at: 'minute 0', rssBytes: { 'classifier 1': 200 * 2 ** 20, ingest: 100 * 2 ** 20 }, lag: { a: 0 } },
      {
        at: 'minute 1',
        rssBytes: { 'classifier 1': 230 * 2 ** 20, ingest: 110 * 2 ** 20 },
        lag: { a: 3, b: 4 },
      },
      { at: 'drained', rssBytes: { 'classifier 1': 231 * 2 ** 20 }, lag: { a: 0, b: 0 } },
    ],
    labels: { sent: 24, acked: 24, stored: 24, itemsAcked: 480, itemsStored: 480, p50Ms: 30, p99Ms: 80 },
    ...overrides,
  };
}

describe('soak results', () => {
  it('puts each image in the minute it was written and leaves unjudged ones out of the latencies', () => {
    const start = 1000;
    const rows = latencyPerMinute(
      [
        { writtenAt: start, verdictAt: start + 100 },
        { writtenAt: start + 59_999, verdictAt: start + 60_299 },
        { writtenAt: start + 60_000, verdictAt: start + 60_500 },
        { writtenAt: start + 61_000, verdictAt: undefined },
      ],
      start,
      3,
    );
    expect(rows.map(({ sent, judged }) => [sent, judged])).toEqual([
      [2, 2],
      [2, 1],
      [0, 0],
    ]);
    expect(rows[0]).toMatchObject({ p50Ms: 100, p99Ms: 300, maxMs: 300 });
    expect(rows[1]).toMatchObject({ p50Ms: 500, p99Ms: 500 });
    expect(rows[2]?.p50Ms).toBeNaN();
  });

  it('writes a row per minute and per sample, with the lag summed and a missing reading as a dash', () => {
    const markdown = resultsMarkdown(results());
    expect(markdown).toContain('| 2 | 1200 | 1200 | 420 | 950 | 1300 |');
    expect(markdown).toContain('| minute 1 | 230 | 110 | 7 |');
    expect(markdown).toContain('| drained | 231 | – | 0 |');
    expect(markdown).toContain('| 2400 | 2400 | 2400 | 0 | 1.5 s | 24 / 24 / 24 | 480 / 480 | 30 / 80 ms |');
  });

  it('says when the pipeline never drained', () => {
    expect(resultsMarkdown(results({ drainedAfterS: null }))).toContain('not within 300 s');
  });

  it('draws the latency and memory plots as SVG with a line per series', () => {
    const latency = latencyChartSvg(results());
    const memory = memoryChartSvg(results());
    for (const svg of [latency, memory]) expect(svg.startsWith('<svg')).toBe(true);
    for (const name of ['p50', 'p99']) expect(latency).toContain(`>${name}</text>`);
    for (const name of ['classifier 1', 'ingest']) expect(memory).toContain(`>${name}</text>`);
  });
});

describe('resident memory', () => {
  it('reads VmRSS from /proc/<pid>/status in bytes', () => {
    expect(parseResidentBytes('Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t  123456 kB\nThreads:\t11\n')).toBe(
      123456 * 1024,
    );
    expect(parseResidentBytes('Name:\tnode\nState:\tZ (zombie)\n')).toBeUndefined();
  });
});
