import { randomUUID } from 'node:crypto';
import { Explanation, Image, PlotType } from '@hydra/db';
import { addImage, addModel, addVerdict, allPages } from './support/images.fixture';
import { type LabelerApiHarness, startLabelerApi } from './support/labeler-api.harness';

// Starting the app migrates a fresh database: slow on a busy machine.
jest.setTimeout(120_000);

const FCAL = 'FCAL_occupancy';
const CDC = 'CDC_timing';
let api: LabelerApiHarness;
let fcal: Image[];
let cdc: Image[];

const ids = (reply: { body: { items: { id: string }[] } }) => reply.body.items.map((item) => item.id);
/** Newest first, as every list is ordered. */
const newestFirst = (images: Image[]) =>
  [...images]
    .sort((a, b) => b.capturedAt.getTime() - a.capturedAt.getTime() || (a.id < b.id ? 1 : -1))
    .map((image) => image.id);

async function label(imageId: string, name: string, plotType = FCAL): Promise<void> {
  const reply = await api.admin.post(`/api/plot-types/${plotType}/labels`, {
    batchId: randomUUID(),
    items: [{ imageId, label: name }],
  });
  expect(reply.status).toBe(201);
}

beforeAll(async () => {
  api = await startLabelerApi();
  await api.plotTypes(FCAL, CDC);
  await api.bed.db.getRepository(PlotType).update({ name: FCAL }, { groupName: 'FCAL' });
  await api.bed.db.getRepository(PlotType).update({ name: CDC }, { groupName: 'CDC' });
  fcal = [];
  for (let index = 0; index < 20; index++)
    fcal.push(await addImage(api, { plotType: FCAL, runNumber: 100 + Math.floor(index / 5) }));
  cdc = [];
  for (let index = 0; index < 4; index++) cdc.push(await addImage(api, { plotType: CDC, runNumber: 7 }));
});
afterAll(() => api?.stop());

describe('listing images', () => {
  it('pages through every image newest first, with no image missing or repeated', async () => {
    const viewer = await api.client('viewer');
    const { pages, ids: listed } = await allPages(viewer, `/api/images?plotType=${FCAL}&limit=6`);
    expect(pages).toBe(4);
    expect(listed).toEqual(newestFirst(fcal));
    const everything = await allPages(viewer, '/api/images?limit=5');
    expect(everything.ids).toEqual(newestFirst([...fcal, ...cdc]));
  });

  it('keeps pages exact when images share a capture time to the microsecond', async () => {
    const same = fcal.slice(0, 7).map((image) => image.id);
    await api.bed.db.query(
      `UPDATE image SET captured_at = '2020-01-01T00:00:00.123456Z' WHERE id = ANY($1)`,
      [same],
    );
    const { ids: listed } = await allPages(api.admin, `/api/images?plotType=${FCAL}&limit=3`);
    expect(new Set(listed).size).toBe(20);
    expect(listed.slice(-7)).toEqual([...same].sort().reverse());
    // Later tests read times from the database again.
    fcal = await api.bed.db.getRepository(Image).findBy({ plotType: FCAL });
  });

  it('describes each image with its latest verdict, label and URLs', async () => {
    const [image] = newestFirst(fcal);
    await addVerdict(api, image as string, 'Good', 0.6, { classifiedAt: new Date(Date.now() - 60_000) });
    await addVerdict(api, image as string, 'Bad', 0.9, {
      confirmed: false,
      modelId: await addModel(api, FCAL),
    });
    await label(image as string, 'Bad');
    const reply = await api.admin.get(`/api/images?plotType=${FCAL}&limit=1`);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.body.items[0]).toMatchObject({
      id: image,
      plotType: FCAL,
      runPeriod: '2026-01',
      chunk: null,
      keep: false,
      keepReason: null,
      latestVerdict: {
        verdict: 'Bad',
        confidence: expect.closeTo(0.9, 5),
        confirmed: false,
        modelId: expect.any(String),
      },
      label: 'Bad',
      thumbnailUrl: `/api/images/${image}/thumbnail`,
      fileUrl: `/api/images/${image}/file`,
    });
  });

  it('filters by plot type, group, run, time, verdict, confirmation, label, keep reason, labeling and disagreement', async () => {
    const [first, second, third, fourth] = newestFirst(fcal).slice(1) as string[];
    await addVerdict(api, first as string, 'Bad', 0.7, { confirmed: true });
    await label(first as string, 'Good');
    await addVerdict(api, second as string, 'Good', 0.95);
    await label(second as string, 'Good');
    await api.bed.db.getRepository(Image).update({ id: third }, { keep: true, keepReason: 'unconfirmed' });
    await addVerdict(api, fourth as string, 'NoData', 0.8);
    const list = async (query: string) => ids(await api.admin.get(`/api/images?limit=200&${query}`));
    const sorted = (values: string[]) => [...values].sort();
    expect(sorted(await list('group=CDC'))).toEqual(sorted(cdc.map((image) => image.id)));
    expect(sorted(await list(`plotType=${FCAL}&runFrom=101&runTo=102`))).toEqual(
      sorted(fcal.filter((image) => [101, 102].includes(image.runNumber)).map((image) => image.id)),
    );
    const times = fcal.map((image) => image.capturedAt.getTime()).sort((a, b) => a - b);
    const from = new Date(times[10] as number).toISOString();
    const to = new Date(times[15] as number).toISOString();
    expect((await list(`from=${from}&to=${to}`)).length).toBe(5);
    expect(sorted(await list('verdict=Bad'))).toEqual(
      sorted([newestFirst(fcal)[0] as string, first as string]),
    );
    expect(await list('verdict=Bad&confirmed=true')).toEqual([first]);
    expect(sorted(await list('label=Good'))).toEqual(sorted([first as string, second as string]));
    expect(await list('keepReason=unconfirmed')).toEqual([third]);
    expect((await list(`plotType=${FCAL}&unlabeled=true`)).length).toBe(17);
    expect(await list('disagreement=true')).toEqual([first]);
  });

  it('refuses bad queries and a forged cursor with a 400, and strangers with a 401', async () => {
    for (const query of [
      'limit=201',
      'limit=0',
      'unlabeled=yes',
      'verdict=%21',
      'cursor=garbage',
      'colour=red',
    ])
      expect([query, (await api.admin.get(`/api/images?${query}`)).status]).toEqual([query, 400]);
    const forged = Buffer.from(JSON.stringify({ order: 'newest', key: ["2020'; DROP", 'x'] })).toString(
      'base64url',
    );
    expect((await api.admin.get(`/api/images?cursor=${forged}`)).status).toBe(400);
    expect((await api.anonymous.get('/api/images')).status).toBe(401);
  });
});

describe('one image', () => {
  it('shows every verdict, the label history and the heat maps', async () => {
    const image = newestFirst(fcal)[0] as string;
    const modelId = await addModel(api, FCAL);
    const heatmapKey = `heatmaps/${image}/${modelId}.png`;
    await api.bed.store.put(heatmapKey, Buffer.from('\x89PNG heat'));
    await api.bed.db
      .getRepository(Explanation)
      .insert({ imageId: image, modelId, heatmapKey, computeMs: 12 });
    const reply = await api.admin.get(`/api/images/${image}`);
    expect(reply.status).toBe(200);
    expect(reply.body.verdicts.map((verdict: { verdict: string }) => verdict.verdict)).toEqual([
      'Bad',
      'Good',
    ]);
    expect(reply.body.labelHistory).toEqual([
      expect.objectContaining({ user: 'admin', label: 'Bad', previousLabel: null, undoesBatchId: null }),
    ]);
    expect(reply.body.heatmaps).toEqual([
      expect.objectContaining({ modelId, url: `/api/images/${image}/heatmaps/${modelId}` }),
    ]);
    const heatmap = await fetch(`${api.url}${reply.body.heatmaps[0].url}`, {
      headers: { authorization: (await bearer()) as string },
    });
    expect(heatmap.status).toBe(200);
    expect(heatmap.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await heatmap.arrayBuffer()).toString()).toBe('\x89PNG heat');
    expect((await api.admin.get(`/api/images/${image}/heatmaps/${randomUUID()}`)).status).toBe(404);
  });

  it('answers 404 for an unknown image and 400 for a malformed id', async () => {
    expect((await api.admin.get(`/api/images/${randomUUID()}`)).status).toBe(404);
    expect((await api.admin.get('/api/images/not-a-uuid')).status).toBe(400);
  });
});

/** A viewer's bearer header, for raw fetches of binary replies. */
let viewerHeader: string | undefined;
async function bearer(): Promise<string> {
  if (viewerHeader) return viewerHeader;
  const viewer = await api.client('viewer');
  const token = await api.admin.post('/api/tokens', {
    name: `${viewer.name}-raw`,
    role: 'viewer',
    user: viewer.name,
  });
  viewerHeader = `Bearer ${token.body.token}`;
  return viewerHeader;
}
const raw = async (path: string) => {
  const response = await fetch(`${api.url}${path}`, { headers: { authorization: await bearer() } });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
};
const isWebp = (bytes: Buffer) =>
  bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP';

describe("an image's pixels", () => {
  it('streams the original PNG, cacheable for good', async () => {
    const image = fcal[3] as Image;
    const reply = await raw(`/api/images/${image.id}/file`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('image/png');
    expect(reply.headers.get('cache-control')).toMatch(/immutable/);
    expect(reply.bytes.equals(await api.bed.store.get(image.storageKey))).toBe(true);
  });

  it('makes a WebP thumbnail once, even for concurrent first requests, and serves it warm from the store', async () => {
    const image = fcal[4] as Image;
    const key = `thumbs/${image.sha256}.webp`;
    expect(await api.bed.store.stat(key)).toBeNull();
    const cold = await Promise.all([1, 2, 3].map(() => raw(`/api/images/${image.id}/thumbnail`)));
    for (const reply of cold) {
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('image/webp');
      expect(isWebp(reply.bytes)).toBe(true);
    }
    const stored = await api.bed.store.get(key);
    expect(isWebp(stored)).toBe(true);
    const warm = await raw(`/api/images/${image.id}/thumbnail`);
    expect(warm.status).toBe(200);
    expect(warm.bytes.equals(stored)).toBe(true);
  });

  it('answers 404 when the file is missing from the store', async () => {
    const image = fcal[5] as Image;
    await api.bed.store.delete(image.storageKey);
    expect((await raw(`/api/images/${image.id}/file`)).status).toBe(404);
    expect((await raw(`/api/images/${image.id}/thumbnail`)).status).toBe(404);
  });
});
