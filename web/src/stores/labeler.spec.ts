import type { ImageListItem, MeResponse, PlotTypeResponse } from '@hydra/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../composables/notices', () => ({
  notices: { error: vi.fn(), warning: vi.fn(), success: vi.fn() },
}));

import { useLabelerStore } from './labeler';
import { useSessionStore } from './session';

const PLOT = 'FCAL';
const plotType = {
  name: PLOT,
  palette: [
    { label: 'Good', colour: '#18a058', hotkey: 'g', excludedFromTraining: false },
    { label: 'Bad', colour: '#d03050', hotkey: 'b', excludedFromTraining: false },
  ],
} as PlotTypeResponse;
const other = { name: 'CDC', palette: [] as PlotTypeResponse['palette'] } as PlotTypeResponse;

const image = (n: number, verdict = 'Good'): ImageListItem =>
  ({
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    plotType: PLOT,
    runNumber: 1,
    chunk: null,
    label: null,
    latestVerdict: {
      verdict,
      confidence: 0.9,
      confirmed: true,
      modelId: null,
      outputs: {},
      classifiedAt: '',
    },
    thumbnailUrl: `/api/images/${n}/thumbnail`,
  }) as ImageListItem;

interface Call {
  method: string;
  url: string;
  body: unknown;
}
let calls: Call[];
let labelStatus: number;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function respond(url: string, init: RequestInit = {}): Response {
  const method = init.method ?? 'GET';
  calls.push({ method, url, body: init.body ? JSON.parse(init.body as string) : undefined });
  if (url.startsWith('/api/plot-types?') || url === '/api/plot-types') return json([plotType, other]);
  if (url.includes('/leaderboard'))
    return json([{ user: 'ana', total: 3, lastSevenDays: 3, lastLabeledAt: '' }]);
  if (url.includes('/queue')) {
    const second = url.includes('cursor=c2');
    return json({
      items: second ? [image(10), image(11)] : [image(1), image(2, 'Bad'), image(3)],
      nextCursor: second ? null : 'c2',
    });
  }
  if (url.endsWith('/labels/undo'))
    return json({ batchId: 'u', undoneBatchId: 'b', restored: 3, skipped: 0 });
  if (url.endsWith('/labels'))
    return labelStatus === 201
      ? json({ batchId: 'b', labeled: 3, repeated: false }, 201)
      : json({ statusCode: labelStatus, error: 'Forbidden', message: 'ana may not label FCAL' }, labelStatus);
  return json({ statusCode: 404, error: 'Not Found', message: 'no' }, 404);
}

function signIn(role: MeResponse['role'], canLabel: boolean): void {
  useSessionStore().me = {
    name: 'ana',
    role,
    permissions: [{ plotType: PLOT, canLabel, canTrain: false, canPromote: false }],
  } as unknown as MeResponse;
}

const posts = () => calls.filter((call) => call.method === 'POST');

describe('the labeler store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
    calls = [];
    labelStatus = 201;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => respond(url, init)),
    );
  });

  it('offers the plot types the user may label, and every one read-only to a viewer', async () => {
    signIn('labeler', true);
    const labeler = useLabelerStore();
    await labeler.load();
    expect(labeler.choices.map((entry) => entry.name)).toEqual([PLOT]);
    expect(labeler.canLabel).toBe(true);
    expect(labeler.items).toHaveLength(3);
    expect(labeler.leaderboard[0]?.user).toBe('ana');

    setActivePinia(createPinia());
    signIn('viewer', false);
    const viewer = useLabelerStore();
    await viewer.load();
    expect(viewer.choices.map((entry) => entry.name)).toEqual([PLOT, 'CDC']);
    expect(viewer.canLabel).toBe(false);
    viewer.paintImage(0, false);
    expect(viewer.paint).toEqual({});
  });

  it('prefetches the next page and shows it after a page is stored whole', async () => {
    signIn('labeler', true);
    const labeler = useLabelerStore();
    await labeler.load(PLOT);
    await vi.waitFor(() => expect(calls.some((call) => call.url.includes('cursor=c2'))).toBe(true));
    labeler.selectLabel('Good');
    labeler.paintImage(0, false);
    labeler.paintImage(2, true);
    await labeler.apply();
    const [post] = posts();
    expect(post?.url).toBe(`/api/plot-types/${PLOT}/labels`);
    expect((post?.body as { items: unknown[] }).items).toHaveLength(3);
    expect(labeler.items.map((item) => item.id)).toEqual([image(10).id, image(11).id]);
    // The page came from the prefetch: one request for the second page in all.
    expect(calls.filter((call) => call.url.includes('cursor=c2'))).toHaveLength(1);
    expect(labeler.storedCount).toBe(3);
    expect(labeler.canUndo).toBe(true);
  });

  it("keeps the paint and the batch id when storing fails, and shows the server's 403 message", async () => {
    signIn('labeler', true);
    const labeler = useLabelerStore();
    await labeler.load(PLOT);
    labeler.acceptModel();
    expect(labeler.paint).toEqual({ [image(1).id]: 'Good', [image(2).id]: 'Bad', [image(3).id]: 'Good' });
    labelStatus = 403;
    await labeler.apply();
    expect(labeler.actionError).toBe('Not allowed: ana may not label FCAL');
    expect(labeler.paintedCount).toBe(3);
    labelStatus = 201;
    await labeler.apply();
    const [first, second] = posts().map((call) => (call.body as { batchId: string }).batchId);
    expect(second).toBe(first);
    expect(labeler.actionError).toBeNull();
  });

  it('with nothing painted, Enter goes to the next page; undo asks the API and reloads', async () => {
    signIn('admin', false);
    const labeler = useLabelerStore();
    await labeler.load(PLOT);
    await labeler.apply();
    expect(posts()).toHaveLength(0);
    expect(labeler.items).toHaveLength(2);
    await labeler.undo();
    expect(posts()[0]?.url).toBe(`/api/plot-types/${PLOT}/labels/undo`);
    expect(labeler.items).toHaveLength(3);
  });
});
