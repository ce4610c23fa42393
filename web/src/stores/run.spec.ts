import type { ImageClassifiedEvent, RunSnapshotDto } from '@hydra/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../composables/notices', () => ({
  notices: { error: vi.fn(), warning: vi.fn(), success: vi.fn() },
}));

import { useRunStore } from './run';

const IMAGE_1 = '00000000-0000-4000-8000-000000000001';
const IMAGE_2 = '00000000-0000-4000-8000-000000000002';
const MODEL = '00000000-0000-4000-8000-0000000000aa';

const snapshot: RunSnapshotDto = {
  generatedAt: new Date().toISOString(),
  runCondition: null,
  runNumber: 7,
  plots: [
    {
      name: 'FCAL',
      group: 'FCAL',
      hidden: false,
      image: {
        id: IMAGE_1,
        runNumber: 7,
        chunk: 1,
        capturedAt: '2026-01-01T00:00:00Z',
        receivedAt: '2026-01-01T00:00:01Z',
      },
      verdict: null,
      ageSeconds: 1,
      heatmapUrl: null,
      alarm: null,
      sparkline: [],
    },
  ],
};

const classified = (imageId: string, verdict: string): ImageClassifiedEvent => ({
  id: '00000000-0000-4000-8000-0000000000ff',
  occurredAt: new Date().toISOString(),
  imageId,
  plotType: 'FCAL',
  modelId: MODEL,
  verdict,
  confidence: 0.95,
  outputs: { Good: 0.03, Bad: 0.95, NoData: 0.02 },
  thresholds: {},
  confirmed: true,
  collected: false,
  keepReason: null,
  latencyMs: 5,
});

function respond(url: string): Response {
  const body = url.startsWith('/api/run')
    ? snapshot
    : url.startsWith('/api/plot-types')
      ? [{ palette: [{ label: 'Bad', colour: '#aa0000' }] }]
      : {
          id: IMAGE_2,
          runNumber: 8,
          chunk: 2,
          capturedAt: '2026-01-01T00:01:00Z',
          ingestedAt: '2026-01-01T00:01:01Z',
          heatmaps: [],
        };
  return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
}

describe('the run store', () => {
  beforeEach(async () => {
    setActivePinia(createPinia());
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => respond(url)),
    );
    await useRunStore().load();
  });

  it('takes the label colours from the plot types', () => {
    expect(useRunStore().colourOf('Bad')).toBe('#aa0000');
    expect(useRunStore().colourOf('Good')).toBe('#18a058');
  });

  it('updates the verdict of the image on the card and extends its sparkline', async () => {
    const run = useRunStore();
    await run.onClassified(classified(IMAGE_1, 'Bad'));
    expect(run.plots['FCAL']?.verdict?.verdict).toBe('Bad');
    expect(run.plots['FCAL']?.sparkline).toHaveLength(1);
    expect(run.plots['FCAL']?.sparkline[0]?.value).toBeCloseTo(-0.92);
  });

  it("shows a newer image with its run and chunk from the image's record", async () => {
    const run = useRunStore();
    await run.onClassified(classified(IMAGE_2, 'Bad'));
    expect(run.plots['FCAL']?.image).toMatchObject({ id: IMAGE_2, runNumber: 8, chunk: 2 });
    expect(run.snapshot?.runNumber).toBe(8);
  });

  it('adds the heat map when the image on the card is explained', () => {
    const run = useRunStore();
    run.onExplained({ id: IMAGE_2, occurredAt: '', imageId: IMAGE_1, modelId: MODEL, heatmapKey: 'k' });
    expect(run.plots['FCAL']?.heatmapUrl).toBe(`/api/images/${IMAGE_1}/heatmaps/${MODEL}`);
  });

  it('follows alarm transitions', () => {
    const run = useRunStore();
    run.onAlarm({
      id: IMAGE_2,
      occurredAt: '2026-01-01T00:02:00Z',
      alarmId: IMAGE_2,
      event: 'raised',
      plotType: 'FCAL',
      severity: 'major',
      state: 'active-unacknowledged',
      since: '2026-01-01T00:02:00Z',
      imageId: IMAGE_1,
      verdict: 'Bad',
      confidence: 0.9,
      by: null,
    });
    expect(run.plots['FCAL']?.alarm?.state).toBe('active-unacknowledged');
  });
});
