import { randomUUID } from 'node:crypto';
import type { Image } from '@hydra/db';
import { EventPublisher } from '@hydra/messaging';
import { waitFor } from '@hydra/messaging/testing';
import { addImage } from './support/images.fixture';
import { type ApiClient, type LabelerApiHarness, startLabelerApi } from './support/labeler-api.harness';

jest.setTimeout(120_000);

const PLOT = 'FCAL_occupancy';
const OTHER = 'CDC_timing';
let api: LabelerApiHarness;
let labeler: ApiClient;
let images: Image[];

const batch = (items: [Image, string][], batchId = randomUUID()) => ({
  batchId,
  items: items.map(([image, label]) => ({ imageId: image.id, label })),
});
const labelOf = async (image: Image) =>
  (
    await api.bed.db.query(
      `SELECT l.name FROM image_label il JOIN label l ON l.id = il.label_id WHERE il.image_id = $1`,
      [image.id],
    )
  )[0]?.name ?? null;
const batchCount = async () => Number((await api.bed.db.query(`SELECT count(*) FROM label_batch`))[0].count);

beforeAll(async () => {
  api = await startLabelerApi();
  await api.plotTypes(PLOT, OTHER);
  labeler = await api.client('labeler', [{ plotType: PLOT, canLabel: true }]);
  images = [];
  for (let index = 0; index < 4; index++) images.push(await addImage(api, { plotType: PLOT }));
});
afterAll(() => api?.stop());

describe('label batches', () => {
  it('records a batch once: a retry is harmless, the same id with other content is a 409', async () => {
    const first = batch([[images[0] as Image, 'Bad']]);
    expect((await labeler.post(`/api/plot-types/${PLOT}/labels`, first)).body).toMatchObject({
      labeled: 1,
      repeated: false,
    });
    expect((await labeler.post(`/api/plot-types/${PLOT}/labels`, first)).body).toMatchObject({
      labeled: 0,
      repeated: true,
    });
    const changed = await labeler.post(
      `/api/plot-types/${PLOT}/labels`,
      batch([[images[0] as Image, 'Good']], first.batchId),
    );
    expect(changed.status).toBe(409);
    expect(await labelOf(images[0] as Image)).toBe('Bad');
    expect(api.events.of('label.added').filter((event) => event.batchId === first.batchId)).toHaveLength(1);
  });

  it('announces a stored batch on the retry when the first request failed before announcing it', async () => {
    const publisher = api.app.get(EventPublisher);
    const publish = jest.spyOn(publisher, 'publish');
    publish.mockRejectedValueOnce(new Error('broker timed out'));
    const image = await addImage(api, { plotType: PLOT });
    const stored = batch([[image, 'NoData']]);
    const announced = () => api.events.of('label.added').some((event) => event.batchId === stored.batchId);
    try {
      expect((await labeler.post(`/api/plot-types/${PLOT}/labels`, stored)).status).toBe(500);
    } finally {
      publish.mockRestore();
    }
    expect(await labelOf(image)).toBe('NoData');
    expect(announced()).toBe(false);

    const retry = await labeler.post(`/api/plot-types/${PLOT}/labels`, stored);
    expect(retry.body).toMatchObject({ repeated: true });
    await waitFor(announced, 'the retry to announce the stored batch');
  });

  it('applies one of four concurrent submissions of a batch and answers the others as retries', async () => {
    const same = batch([
      [images[1] as Image, 'Good'],
      [images[2] as Image, 'NoData'],
    ]);
    const before = await batchCount();
    const replies = await Promise.all(
      Array.from({ length: 4 }, () => labeler.post(`/api/plot-types/${PLOT}/labels`, same)),
    );
    expect(replies.map((reply) => reply.status)).toEqual([201, 201, 201, 201]);
    expect(replies.filter((reply) => reply.body.repeated === false)).toHaveLength(1);
    expect(await batchCount()).toBe(before + 1);
    expect([await labelOf(images[1] as Image), await labelOf(images[2] as Image)]).toEqual([
      'Good',
      'NoData',
    ]);
  });

  it('refuses a batch naming one image twice, an image of another plot type, or a label outside the palette, storing nothing', async () => {
    const before = await batchCount();
    const other = await addImage(api, { plotType: OTHER });
    const twice = await labeler.post(
      `/api/plot-types/${PLOT}/labels`,
      batch([
        [images[3] as Image, 'Good'],
        [images[3] as Image, 'Bad'],
      ]),
    );
    expect(twice.status).toBe(400);
    expect(twice.body.message).toMatch(/appears twice/);
    const stranger = await labeler.post(`/api/plot-types/${PLOT}/labels`, batch([[other, 'Good']]));
    expect(stranger.status).toBe(400);
    expect(stranger.body.message).toMatch(/not images of FCAL_occupancy/);
    expect(
      (await labeler.post(`/api/plot-types/${PLOT}/labels`, batch([[images[3] as Image, 'Splendid']])))
        .status,
    ).toBe(400);
    expect(await batchCount()).toBe(before);
    expect(await labelOf(images[3] as Image)).toBeNull();
  });

  it('lets nobody label a plot type without the permission, and changes nothing when refused', async () => {
    const outsider = await api.client('labeler', [{ plotType: OTHER, canLabel: true }]);
    const denied = await outsider.post(
      `/api/plot-types/${PLOT}/labels`,
      batch([[images[3] as Image, 'Bad']]),
    );
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/may not label FCAL_occupancy/);
    expect(await labelOf(images[3] as Image)).toBeNull();
  });

  it('takes the documented maximum of 10,000 items in one batch', async () => {
    const template = images[0] as Image;
    const ids: { id: string }[] = await api.bed.db.query(
      `INSERT INTO image (plot_type, run_period, run_number, chunk, pad, captured_at, sha256, storage_key, size_bytes, width, height, keep, keep_reason, training_weight)
         SELECT plot_type, run_period, run_number, n, pad, captured_at, encode(sha256((gen_random_uuid())::text::bytea), 'hex'),
                storage_key, size_bytes, width, height, keep, keep_reason, training_weight
           FROM image, generate_series(1, 10000) AS n WHERE id = $1 RETURNING id`,
      [template.id],
    );
    const items = ids.map(({ id }, index) => ({ imageId: id, label: index % 2 ? 'Good' : 'Bad' }));
    const reply = await labeler.post(`/api/plot-types/${PLOT}/labels`, { batchId: randomUUID(), items });
    expect(reply.status).toBe(201);
    expect(reply.body.labeled).toBe(10_000);
    const tooMany = await labeler.post(`/api/plot-types/${PLOT}/labels`, {
      batchId: randomUUID(),
      items: [...items, ...items.slice(0, 1)],
    });
    expect(tooMany.status).toBe(400);
  });
});
