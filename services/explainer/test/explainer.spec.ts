import { randomUUID } from 'node:crypto';
import { type ExplanationResponse, Subjects } from '@hydra/contracts';
import { Classification, Explanation, type Image } from '@hydra/db';
import { EventPublisher } from '@hydra/messaging';
import { waitFor } from '@hydra/messaging/testing';
import { letterboxGeometry } from '@hydra/ml';
import { simulatePlot } from '@hydra/simulator';
import type { LocalObjectStore } from '@hydra/storage';
import {
  activate,
  registerTestModel,
  type ServiceTestBed,
  startServiceTestBed,
  storeImage,
  verdictRow,
} from '@hydra/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import sharp from 'sharp';
import type { DataSource } from 'typeorm';
import { createExplainerApp } from '../src/explainer.app';

const PLOT = 'FCAL_occupancy';
let bed: ServiceTestBed;
let db: DataSource;
let store: LocalObjectStore;
let app: NestExpressApplication;
let baseUrl: string;
let recorder: Awaited<ReturnType<ServiceTestBed['serve']>>['events'];
let modelId: string;

/** An image with a verdict of the test model, as the classifier leaves it; the verdict is announced when asked. */
async function judged(verdict: string, confirmed: boolean, announce: boolean): Promise<Image> {
  const plot = await simulatePlot(PLOT, verdict === 'Good' ? 'Good' : 'Bad', Math.floor(Math.random() * 1e6));
  const image = await storeImage(db, store, plot, PLOT, plot.png);
  const row = verdictRow(image.id, modelId, verdict, { confidence: 0.8, threshold: 0.5, confirmed });
  await db.getRepository(Classification).insert(row);
  if (announce) {
    await app.get(EventPublisher).publish(Subjects.imageClassified, {
      ...row,
      plotType: PLOT,
      collected: false,
      keepReason: null,
    });
  }
  return image;
}

const explained = (imageId: string) =>
  recorder.of('image.explained').find((event) => event.imageId === imageId);

beforeAll(async () => {
  bed = await startServiceTestBed('hydra_explainer');
  db = bed.db;
  store = bed.store;
  ({ modelId } = await registerTestModel(db, store, PLOT, { Good: 0.5, Bad: 0.5, NoData: 0.5 }));
  await activate(db, PLOT, modelId);
  app = await createExplainerApp(
    { port: 0, databaseUrl: bed.databaseUrl, cachedModels: 2, nice: 0 },
    bed.connections(store),
  );
  ({ url: baseUrl, events: recorder } = await bed.serve(app, 'image.explained'));
}, 300_000);

afterAll(() => bed?.stop());

it('draws the heat map of every confirmed Bad verdict with the model that gave it, and only those', async () => {
  const bad = await judged('Bad', true, true);
  const unconfirmed = await judged('Bad', false, true);
  const good = await judged('Good', true, true);
  await waitFor(() => explained(bad.id) !== undefined, 'image.explained');
  const event = explained(bad.id);
  expect(event).toMatchObject({ modelId, heatmapKey: `heatmaps/${bad.id}/${modelId}.png` });
  const overlay = await sharp(await store.get(event?.heatmapKey as string)).metadata();
  expect({ format: overlay.format, width: overlay.width, height: overlay.height }).toEqual({
    format: 'png',
    width: bad.width,
    height: bad.height,
  });
  const row = await db.getRepository(Explanation).findOneByOrFail({ imageId: bad.id });
  expect(row.computeMs).toBeGreaterThan(0);
  // Verdicts are handled in order, so the two after it have been passed over by now.
  await judged('Bad', true, true).then((next) => waitFor(() => explained(next.id) !== undefined, 'the next'));
  expect(explained(unconfirmed.id)).toBeUndefined();
  expect(explained(good.id)).toBeUndefined();
});

it('answers explain.request with image.explained, for the class of the verdict', async () => {
  const good = await judged('Good', true, false);
  await app.get(EventPublisher).publish(Subjects.explainRequest, { imageId: good.id });
  await waitFor(() => explained(good.id) !== undefined, 'the reply');
  expect(explained(good.id)?.modelId).toBe(modelId);
});

it('POST /explanations computes once and links to the overlay; unknown images are a 404', async () => {
  const bad = await judged('Bad', true, false);
  const ask = () =>
    fetch(`${baseUrl}/explanations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ imageId: bad.id }),
    });
  const first = (await (await ask()).json()) as ExplanationResponse;
  expect(first).toMatchObject({ imageId: bad.id, modelId, heatmapKey: `heatmaps/${bad.id}/${modelId}.png` });
  expect(first.url).toContain(encodeURIComponent(first.heatmapKey).replace(/%2F/g, '/'));
  const second = (await (await ask()).json()) as ExplanationResponse;
  expect(second.computeMs).toBe(first.computeMs);
  expect(await db.getRepository(Explanation).countBy({ imageId: bad.id })).toBe(1);

  const unknown = await fetch(`${baseUrl}/explanations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ imageId: randomUUID() }),
  });
  expect(unknown.status).toBe(404);
  expect(((await unknown.json()) as { message: string }).message).toContain('no model has judged');
});

it("POST /explanations with a label draws that class apart from the verdict's heat map; a class the model lacks is a 400", async () => {
  const good = await judged('Good', true, false);
  const ask = (body: object) =>
    fetch(`${baseUrl}/explanations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ imageId: good.id, ...body }),
    });
  const whyNotBad = (await (await ask({ label: 'Bad' })).json()) as ExplanationResponse;
  expect(whyNotBad).toMatchObject({
    modelId,
    label: 'Bad',
    heatmapKey: `heatmaps/${good.id}/${modelId}/Bad.png`,
  });
  expect(whyNotBad.computeMs).toBeGreaterThan(0);
  const verdict = (await (await ask({})).json()) as ExplanationResponse;
  expect(verdict).toMatchObject({ label: 'Good', heatmapKey: `heatmaps/${good.id}/${modelId}.png` });
  expect((await (await ask({ label: 'Good' })).json()) as ExplanationResponse).toMatchObject({
    heatmapKey: verdict.heatmapKey,
  });
  // Each PNG says which class it shows and how it was made.
  const description = async (key: string) =>
    (await sharp(await store.get(key)).metadata()).exif?.toString('latin1') ?? '';
  expect(await description(whyNotBad.heatmapKey)).toMatch(
    /class Bad by model .*layer-cam over 3 blocks, 1 short of the last, against Good, from the mean of the 8 nearest of \d+ Good plots/,
  );
  // Good is what the others are explained against, not itself.
  expect(await description(verdict.heatmapKey)).toMatch(
    /class Good by model .*1 short of the last, from the mean/,
  );
  expect(Buffer.compare(await store.get(whyNotBad.heatmapKey), await store.get(verdict.heatmapKey))).not.toBe(
    0,
  );
  // Asked again, the stored one is linked; only the verdict's is an explanation row and an announcement.
  expect((await (await ask({ label: 'Bad' })).json()) as ExplanationResponse).toMatchObject({
    heatmapKey: whyNotBad.heatmapKey,
    computeMs: 0,
  });
  expect(await db.getRepository(Explanation).findBy({ imageId: good.id })).toEqual([
    expect.objectContaining({ heatmapKey: verdict.heatmapKey }),
  ]);
  await waitFor(() => explained(good.id) !== undefined, "the verdict's announcement");
  // Published in order, so an announcement of the class asked first would have come before it.
  const announced = recorder.of('image.explained').filter((event) => event.imageId === good.id);
  expect(new Set(announced.map((event) => event.heatmapKey))).toEqual(new Set([verdict.heatmapKey]));

  const unknown = await ask({ label: 'Ugly' });
  expect(unknown.status).toBe(400);
  expect(((await unknown.json()) as { message: string }).message).toContain(
    'has no class "Ugly" (its classes: Good, Bad, NoData)',
  );
  expect((await ask({ label: '../Bad' })).status).toBe(400);
});

it("masks the model's ignore regions: no heat where it was told not to look", async () => {
  const image = await judged('Bad', true, false);
  const { modelId: maskedModelId } = await registerTestModel(db, store, PLOT, { Good: 0.5, Bad: 0.5 });
  const {
    id: _earlierId,
    image: _image,
    model: _model,
    ...earlier
  } = await db.getRepository(Classification).findOneByOrFail({ imageId: image.id, modelId });
  await db.getRepository(Classification).insert({ ...earlier, modelId: maskedModelId });
  const overlayBy = async (by: string) => {
    const reply = await fetch(`${baseUrl}/explanations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ imageId: image.id, modelId: by }),
    });
    const { heatmapKey } = (await reply.json()) as ExplanationResponse;
    return (await sharp(await store.get(heatmapKey))
      .removeAlpha()
      .raw()
      .toBuffer()) as Buffer;
  };
  const original = await sharp(await store.get(image.storageKey))
    .removeAlpha()
    .raw()
    .toBuffer();
  const change = (overlay: Buffer, x: number, y: number) =>
    Math.max(
      ...[0, 1, 2].map((c) =>
        Math.abs(
          (overlay[(y * image.width + x) * 3 + c] as number) -
            (original[(y * image.width + x) * 3 + c] as number),
        ),
      ),
    );

  // Where the unmasked model's heat is strongest becomes the region the masked model ignores.
  const unmasked = await overlayBy(modelId);
  let hottest = { x: 0, y: 0, change: -1 };
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++)
      if (change(unmasked, x, y) > hottest.change) hottest = { x, y, change: change(unmasked, x, y) };
  const fraction = (at: number, size: number) => Math.min(Math.max(0, at / size - 0.15), 0.7);
  const region = {
    x: fraction(hottest.x, image.width),
    y: fraction(hottest.y, image.height),
    width: 0.3,
    height: 0.3,
  };
  const manifestKey = `models/${PLOT}/${maskedModelId}/manifest.json`;
  const manifest = JSON.parse((await store.get(manifestKey)).toString('utf8'));
  await store.put(manifestKey, Buffer.from(JSON.stringify({ ...manifest, ignoreRegions: [region] })));

  const masked = await overlayBy(maskedModelId);
  // Inside the region, away from its edges (which the resampling blurs), the plot is as it was.
  const margin = Math.ceil(3 / letterboxGeometry(image.width, image.height, manifest.input).scale);
  const inside = (start: number, size: number, length: number) => {
    const from = Math.floor(start * length);
    const to = Math.ceil((start + size) * length);
    return [from === 0 ? 0 : from + margin, to === length ? length : to - margin];
  };
  const [left, right] = inside(region.x, region.width, image.width);
  const [top, bottom] = inside(region.y, region.height, image.height);
  let most = { masked: 0, unmasked: 0 };
  for (let y = top as number; y < (bottom as number); y++)
    for (let x = left as number; x < (right as number); x++)
      most = {
        masked: Math.max(most.masked, change(masked, x, y)),
        unmasked: Math.max(most.unmasked, change(unmasked, x, y)),
      };
  expect(most.unmasked).toBeGreaterThan(20);
  expect(most.masked).toBeLessThanOrEqual(1);
});
