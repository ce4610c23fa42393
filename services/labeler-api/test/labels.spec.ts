import { randomUUID } from 'node:crypto';
import type { Image } from '@hydra/db';
import { waitFor } from '@hydra/messaging/testing';
import { addImage, addVerdict, allPages } from './support/images.fixture';
import { type ApiClient, type LabelerApiHarness, startLabelerApi } from './support/labeler-api.harness';

// Starting the app migrates a fresh database: slow on a busy machine.
jest.setTimeout(120_000);

const QUEUE = 'FCAL_occupancy';
const DOUBTS = 'CDC_timing';
const LABELS = 'Trigger_bits';
let api: LabelerApiHarness;

const labelsOf = async (images: Image[]) => {
  const rows = await api.bed.db.query(
    `SELECT il.image_id, l.name FROM image_label il JOIN label l ON l.id = il.label_id WHERE il.image_id = ANY($1)`,
    [images.map((image) => image.id)],
  );
  return images.map(
    (image) => rows.find((row: { image_id: string }) => row.image_id === image.id)?.name ?? null,
  );
};

async function label(client: ApiClient, plotType: string, items: [Image, string][]) {
  return client.post(`/api/plot-types/${plotType}/labels`, {
    batchId: randomUUID(),
    items: items.map(([image, name]) => ({ imageId: image.id, label: name })),
  });
}

beforeAll(async () => {
  api = await startLabelerApi();
  await api.plotTypes(QUEUE, DOUBTS, LABELS);
});
afterAll(() => api?.stop());

describe('the labeling queue', () => {
  let kept: Image[];
  let labeled: Image;
  let notKept: Image;

  beforeAll(async () => {
    kept = [];
    for (let index = 0; index < 104; index++)
      kept.push(
        await addImage(api, { plotType: QUEUE, runNumber: [5, 3, 4][index % 3], keepReason: 'sample' }),
      );
    notKept = await addImage(api, { plotType: QUEUE, runNumber: 9 });
    labeled = kept.pop() as Image;
    expect((await label(api.admin, QUEUE, [[labeled, 'Good']])).status).toBe(201);
  });

  it('gives kept unlabeled images newest run first, in pages of 100', async () => {
    const viewer = await api.client('viewer');
    const first = await viewer.get(`/api/plot-types/${QUEUE}/queue`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(100);
    expect(first.body.items[0]).toMatchObject({ plotType: QUEUE, keep: true, label: null });
    const { pages, ids } = await allPages(viewer, `/api/plot-types/${QUEUE}/queue?order=newest`);
    expect(pages).toBe(2);
    const expected = [...kept]
      .sort(
        (a, b) =>
          b.runNumber - a.runNumber ||
          b.capturedAt.getTime() - a.capturedAt.getTime() ||
          (a.id < b.id ? 1 : -1),
      )
      .map((image) => image.id);
    expect(ids).toEqual(expected);
    expect(ids).not.toContain(labeled.id);
    expect(ids).not.toContain(notKept.id);
  });

  it('puts the smallest margin first in the uncertain order, unjudged images before all', async () => {
    const [close, sure, unjudged, middling] = await Promise.all(
      [1, 2, 3, 4].map(() => addImage(api, { plotType: DOUBTS, keepReason: 'unconfirmed' })),
    );
    await addVerdict(api, (close as Image).id, 'Good', 0.5, {
      outputs: { Good: 0.5, Bad: 0.45, NoData: 0.05 },
    });
    await addVerdict(api, (sure as Image).id, 'Good', 0.9, {
      outputs: { Good: 0.9, Bad: 0.05, NoData: 0.05 },
    });
    await addVerdict(api, (middling as Image).id, 'Bad', 0.6, {
      outputs: { Good: 0.3, Bad: 0.6, NoData: 0.1 },
    });
    const { pages, ids } = await allPages(
      api.admin,
      `/api/plot-types/${DOUBTS}/queue?order=uncertain&limit=1`,
    );
    expect(pages).toBe(4);
    expect(ids).toEqual([unjudged, close, middling, sure].map((image) => (image as Image).id));
  });

  it('shows labels the model contradicts and unconfirmed unlabeled verdicts in the disagreement order', async () => {
    const [contradicted, agreed, unconfirmed, confirmed] = await Promise.all(
      [1, 2, 3, 4].map(() => addImage(api, { plotType: LABELS, keepReason: 'sample' })),
    );
    await addVerdict(api, (contradicted as Image).id, 'Bad', 0.8);
    await addVerdict(api, (agreed as Image).id, 'Good', 0.8);
    await addVerdict(api, (unconfirmed as Image).id, 'Good', 0.55, { confirmed: false });
    await addVerdict(api, (confirmed as Image).id, 'Good', 0.95);
    await label(api.admin, LABELS, [
      [contradicted as Image, 'Good'],
      [agreed as Image, 'Good'],
    ]);
    const reply = await api.admin.get(`/api/plot-types/${LABELS}/queue?order=disagreement`);
    expect(reply.body.items.map((item: { id: string }) => item.id).sort()).toEqual(
      [(contradicted as Image).id, (unconfirmed as Image).id].sort(),
    );
    expect(reply.body.nextCursor).toBeNull();
  });

  it('answers 404 for an unknown plot type and 400 for an unknown order or a cursor of another order', async () => {
    expect((await api.admin.get('/api/plot-types/Nope/queue')).status).toBe(404);
    expect((await api.admin.get(`/api/plot-types/${QUEUE}/queue?order=random`)).status).toBe(400);
    const cursor = (await api.admin.get(`/api/plot-types/${QUEUE}/queue?limit=1`)).body.nextCursor;
    expect(
      (await api.admin.get(`/api/plot-types/${QUEUE}/queue?order=uncertain&cursor=${cursor}`)).status,
    ).toBe(400);
  });
});

describe('labels, undo, history and the leaderboard', () => {
  let images: Image[];
  let labeler: ApiClient;
  let other: ApiClient;

  beforeAll(async () => {
    images = [];
    for (let index = 0; index < 4; index++) images.push(await addImage(api, { plotType: LABELS }));
    labeler = await api.client('labeler', [{ plotType: LABELS, canLabel: true }]);
    other = await api.client('labeler', [{ plotType: LABELS, canLabel: true }]);
  });

  it('refuses a viewer and a labeler without the permission, changing nothing', async () => {
    const viewer = await api.client('viewer');
    const stranger = await api.client('labeler', [{ plotType: QUEUE, canLabel: true }]);
    expect((await label(viewer, LABELS, [[images[0] as Image, 'Bad']])).status).toBe(403);
    expect((await label(stranger, LABELS, [[images[0] as Image, 'Bad']])).status).toBe(403);
    expect((await viewer.post(`/api/plot-types/${LABELS}/labels/undo`)).status).toBe(403);
    expect((await stranger.post(`/api/plot-types/${LABELS}/labels/undo`)).status).toBe(403);
    expect(await labelsOf(images)).toEqual([null, null, null, null]);
  });

  it("undoes the caller's last batch, restoring each previous label, as an audited batch", async () => {
    const [a, b, c] = images as [Image, Image, Image];
    expect((await label(labeler, LABELS, [[a, 'Good']])).status).toBe(201);
    const last = await label(labeler, LABELS, [
      [a, 'Bad'],
      [b, 'NoData'],
      [c, 'Bad'],
    ]);
    // Someone else labels c after the batch: the undo leaves that later label alone.
    expect((await label(other, LABELS, [[c, 'Good']])).status).toBe(201);
    const undo = await labeler.post(`/api/plot-types/${LABELS}/labels/undo`);
    expect(undo.status).toBe(200);
    expect(undo.body).toMatchObject({ undoneBatchId: last.body.batchId, restored: 2, skipped: 1 });
    expect(await labelsOf([a, b, c])).toEqual(['Good', null, 'Good']);
    const undone = () => api.events.of('label.added').find((added) => added.batchId === undo.body.batchId);
    await waitFor(() => undone() !== undefined, 'the undo announced');
    const event = undone();
    expect(event).toMatchObject({
      user: labeler.name,
      items: [
        { imageId: a.id, label: 'Good' },
        { imageId: b.id, label: null },
      ],
    });
    const history = await api.admin.get(`/api/images/${a.id}/labels`);
    expect(history.body).toEqual([
      expect.objectContaining({
        batchId: undo.body.batchId,
        user: labeler.name,
        label: 'Good',
        previousLabel: 'Bad',
      }),
      expect.objectContaining({
        batchId: last.body.batchId,
        label: 'Bad',
        previousLabel: 'Good',
        undoesBatchId: null,
      }),
      expect.objectContaining({ user: labeler.name, label: 'Good', previousLabel: null }),
    ]);
    expect(history.body[0].undoesBatchId).toBe(last.body.batchId);
  });

  it('answers 409 for a second undo and for a caller with nothing to undo', async () => {
    const again = await labeler.post(`/api/plot-types/${LABELS}/labels/undo`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/undone already/);
    const newcomer = await api.client('labeler', [{ plotType: LABELS, canLabel: true }]);
    expect((await newcomer.post(`/api/plot-types/${LABELS}/labels/undo`)).status).toBe(409);
  });

  it('counts labels per user, leaving undone batches and undos out', async () => {
    const d = images[3] as Image;
    await label(labeler, LABELS, [[d, 'Bad']]);
    const reply = await (await api.client('viewer')).get(`/api/plot-types/${LABELS}/leaderboard`);
    expect(reply.status).toBe(200);
    const mine = reply.body.find((entry: { user: string }) => entry.user === labeler.name);
    expect(mine).toMatchObject({ total: 2, lastSevenDays: 2 });
    expect(reply.body.find((entry: { user: string }) => entry.user === other.name)).toMatchObject({
      total: 1,
    });
  });
});
