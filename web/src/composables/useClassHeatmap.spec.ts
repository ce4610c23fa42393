import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { nextTick, ref } from 'vue';

vi.mock('./notices', () => ({ notices: { error: vi.fn(), warning: vi.fn(), success: vi.fn() } }));

import type { RunPlot } from '../stores/run';
import { useClassHeatmap } from './useClassHeatmap';

const IMAGE = '00000000-0000-4000-8000-000000000001';
const OTHER_IMAGE = '00000000-0000-4000-8000-000000000002';
const MODEL = '00000000-0000-4000-8000-0000000000aa';

const plotOf = (imageId: string, heatmapUrl: string | null): RunPlot => ({
  name: 'FCAL',
  group: null,
  hidden: false,
  image: { id: imageId, runNumber: 7, chunk: null, capturedAt: '', receivedAt: '' },
  verdict: {
    verdict: 'Good',
    confidence: 0.9,
    confirmed: true,
    modelId: MODEL,
    outputs: { Bad: 0.05, Good: 0.9, NoData: 0.05 },
    classifiedAt: '',
  },
  ageSeconds: 1,
  heatmapUrl,
  alarm: null,
  sparkline: [],
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the class a heat map explains', () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => vi.stubGlobal('fetch', fetchMock));
  afterEach(() => fetchMock.mockReset());

  it('offers the verdict first, then the model’s other classes', () => {
    const heat = useClassHeatmap(ref(plotOf(IMAGE, null)));
    expect(heat.classes.value).toEqual(['Good', 'Bad', 'NoData']);
    expect(heat.chosen.value).toBeNull();
  });

  it('asks labeler-api for another class and shows its heat map, then the verdict’s again', async () => {
    const verdictUrl = `/api/images/${IMAGE}/heatmaps/${MODEL}`;
    const heat = useClassHeatmap(ref(plotOf(IMAGE, verdictUrl)));
    expect(heat.url.value).toBe(verdictUrl);
    fetchMock.mockResolvedValueOnce(json(200, { label: 'Bad', url: `${verdictUrl}?label=Bad` }));
    const asking = heat.choose('Bad');
    expect(heat.loading.value).toBe(true);
    await asking;
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect([url, init.method, JSON.parse(init.body as string)]).toEqual([
      `/api/images/${IMAGE}/explanations`,
      'POST',
      { modelId: MODEL, label: 'Bad' },
    ]);
    expect({ url: heat.url.value, loading: heat.loading.value }).toEqual({
      url: `${verdictUrl}?label=Bad`,
      loading: false,
    });
    await heat.choose('Good');
    expect(heat.url.value).toBe(verdictUrl);
    expect(fetchMock).toHaveBeenCalledOnce();
  });

  it('says why when the class cannot be explained, and starts over for another image', async () => {
    const plot = ref(plotOf(IMAGE, null));
    const heat = useClassHeatmap(plot);
    fetchMock.mockResolvedValueOnce(
      json(400, { statusCode: 400, error: 'Bad Request', message: 'model has no class "NoData"' }),
    );
    await heat.choose('NoData');
    expect({ url: heat.url.value, failure: heat.failure.value }).toEqual({
      url: null,
      failure: 'model has no class "NoData"',
    });
    plot.value = plotOf(OTHER_IMAGE, null);
    await nextTick();
    expect({ chosen: heat.chosen.value, failure: heat.failure.value }).toEqual({
      chosen: null,
      failure: null,
    });
  });

  it('keeps only the answer to the latest choice', async () => {
    const heat = useClassHeatmap(ref(plotOf(IMAGE, null)));
    let answerBad: (response: Response) => void = () => undefined;
    fetchMock
      .mockReturnValueOnce(new Promise((resolve) => (answerBad = resolve)))
      .mockResolvedValueOnce(json(200, { label: 'NoData', url: '/nodata' }));
    const bad = heat.choose('Bad');
    await heat.choose('NoData');
    answerBad(json(200, { label: 'Bad', url: '/bad' }));
    await bad;
    expect({ chosen: heat.chosen.value, url: heat.url.value }).toEqual({ chosen: 'NoData', url: '/nodata' });
  });
});
