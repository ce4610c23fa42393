import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Image, PlotType } from '@hydra/db';
import { INTERNAL_TOKEN_HEADER } from '@hydra/service';
import { waitFor } from '@hydra/messaging/testing';
import { simulatePlot } from '@hydra/simulator';
import type { LocalObjectStore } from '@hydra/storage';
import { type ServiceTestBed, startServiceTestBed } from '@hydra/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import sharp from 'sharp';
import type { DataSource } from 'typeorm';
import { createIngestApp } from '../src/ingest.app';
import type { IngestConfig } from '../src/ingest.config';

let bed: ServiceTestBed;
let db: DataSource;
let app: NestExpressApplication;
let baseUrl: string;
let root: string;
let store: LocalObjectStore;
let recorder: Awaited<ReturnType<ServiceTestBed['serve']>>['events'];

const runFolder = (run: number) => join(root, 'RunPeriod-2026-01', `Run${String(run).padStart(6, '0')}`);

async function writePlot(run: number, name: string, bytes: Buffer): Promise<string> {
  const path = join(runFolder(run), name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return path;
}

const imagesNew = () => recorder.of('image.new');
const imageCount = () => db.getRepository(Image).count();

async function rejection(name: string): Promise<string> {
  const reasonFile = join(root, 'rejected', 'RunPeriod-2026-01', 'Run000001', `${name}.reason.txt`);
  await waitFor(
    () =>
      readFile(reasonFile).then(
        () => true,
        () => false,
      ),
    `${name} to be moved to rejected/`,
  );
  return readFile(reasonFile, 'utf8');
}

const INTERNAL_TOKEN = 'test-internal-token-0123456789';
const internal = { [INTERNAL_TOKEN_HEADER]: INTERNAL_TOKEN };

/** A push as labeler-api forwards it. */
function upload(query: string, body: Buffer | string, contentType?: string) {
  return fetch(`${baseUrl}/images?${query}`, {
    method: 'POST',
    body,
    headers: { ...internal, ...(contentType && { 'content-type': contentType }) },
  });
}

beforeAll(async () => {
  bed = await startServiceTestBed('hydra_ingest');
  db = bed.db;
  root = await mkdtemp(join(tmpdir(), 'hydra-watch-'));
  store = bed.store;
  const config: IngestConfig = {
    port: 0,
    databaseUrl: bed.databaseUrl,
    watch: { roots: [root], stableMs: 300, incompleteMs: 1_000, afterStore: 'move' },
    limits: { maxBytes: 5_000_000, maxPixels: 25_000_000, maxConcurrentDecodes: 2 },
    internalToken: INTERNAL_TOKEN,
  };
  app = await createIngestApp(config, bed.connections(store));
  ({ url: baseUrl, events: recorder } = await bed.serve(app, 'image.new'));
}, 60_000);

afterAll(async () => {
  await bed?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('the folder watcher', () => {
  it('stores a plot written under the naming convention and announces it with what the path says', async () => {
    const plot = await simulatePlot('FCAL_occupancy', 'Good', 1);
    await writePlot(1234, 'FCAL_occupancy_0007.png', plot.png);
    await waitFor(() => imagesNew().length === 1, 'image.new');
    const [event] = imagesNew();
    if (!event) throw new Error('no image.new');
    expect(event).toMatchObject({
      plotType: 'FCAL_occupancy',
      runPeriod: '2026-01',
      runNumber: 1234,
      chunk: 7,
      width: plot.width,
      height: plot.height,
    });
    const image = await db.getRepository(Image).findOneByOrFail({ id: event.imageId as string });
    expect(image.sha256).toBe(event.sha256);
    expect(image.storageKey).toBe(`images/FCAL_occupancy/1234/${image.sha256}.png`);
    expect((await store.get(image.storageKey)).equals(plot.png)).toBe(true);
    // Stored, so moved out of the way (INGEST_AFTER_STORE=move).
    await waitFor(
      () =>
        readdir(join(root, 'ingested', 'RunPeriod-2026-01', 'Run001234')).then(
          (files) => files.includes('FCAL_occupancy_0007.png'),
          () => false,
        ),
      'the file to move to ingested/',
    );
  });

  it('does not read a file half-way while it is being written', async () => {
    const plot = await simulatePlot('FCAL_occupancy', 'Bad', 2);
    const before = imagesNew().length;
    const path = await writePlot(1, 'FCAL_occupancy_0002.png', plot.png.subarray(0, plot.png.length >> 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await writeFile(path, plot.png);
    await waitFor(() => imagesNew().length === before + 1, 'the completed file to be ingested');
    expect(imagesNew().at(-1)?.chunk).toBe(2);
    // A plot written after it: once it is in, a second reading of chunk 2 would have been too.
    await writePlot(1, 'FCAL_occupancy_0012.png', (await simulatePlot('FCAL_occupancy', 'Good', 12)).png);
    await waitFor(() => imagesNew().some((event) => event.chunk === 12), 'the next plot to be ingested');
    expect(
      imagesNew()
        .slice(before)
        .map((event) => event.chunk),
    ).toEqual([2, 12]);
  });

  it('registers an unknown plot type so it still shows up', async () => {
    const plot = await simulatePlot('CDC_timing', 'Good', 3);
    await writePlot(1, 'Brand-new_plot-2_0001.png', plot.png);
    await waitFor(() => imagesNew().some((event) => event.plotType === 'Brand-new_plot'), 'image.new');
    const plotType = await db.getRepository(PlotType).findOneByOrFail({ name: 'Brand-new_plot' });
    expect(plotType).toMatchObject({ chunked: true, activeModelId: null });
    expect(await db.getRepository(Image).findOneByOrFail({ plotType: 'Brand-new_plot' })).toMatchObject({
      pad: '2',
      chunk: 1,
    });
  });

  it('gives the same bytes under another name (another chunk) an image of its own', async () => {
    const plot = await simulatePlot('Trigger_bits', 'Good', 4);
    await writePlot(1, 'Trigger_bits_0001.png', plot.png);
    await waitFor(() => imagesNew().some((event) => event.plotType === 'Trigger_bits'), 'the first copy');
    const count = await imageCount();
    await writePlot(1, 'Trigger_bits_0002.png', plot.png);
    await waitFor(
      () =>
        readdir(join(root, 'ingested', 'RunPeriod-2026-01', 'Run000001')).then((files) =>
          files.includes('Trigger_bits_0002.png'),
        ),
      'the second copy to be handled',
    );
    expect(await imageCount()).toBe(count + 1);
  });

  it('moves a truncated PNG, a JSON file named .png and a badly named file aside with the reason', async () => {
    const plot = await simulatePlot('FCAL_occupancy', 'Good', 5);
    const count = await imageCount();
    await writePlot(1, 'FCAL_occupancy_0099.png', plot.png.subarray(0, 1000));
    await writePlot(1, 'FCAL_occupancy_0098.png', Buffer.from('{"not": "an image"}'));
    await writePlot(1, 'FCAL occupancy!.png', plot.png);
    expect(await rejection('FCAL_occupancy_0099.png')).toMatch(/^truncated: /);
    expect(await rejection('FCAL_occupancy_0098.png')).toMatch(/^not-an-image: /);
    expect(await rejection('FCAL occupancy!.png')).toMatch(/^bad-name: /);
    expect(await imageCount()).toBe(count);
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/hydra_ingest_rejections_total\{reason="truncated"[^}]*\} 1/);
  });
});

describe('POST /images', () => {
  it('takes pushes only from labeler-api, which proves itself with the internal token', async () => {
    const plot = await simulatePlot('CDC_timing', 'Good', 11);
    const count = await imageCount();
    const refused: Record<string, string>[] = [{}, { [INTERNAL_TOKEN_HEADER]: 'not-the-internal-token' }];
    for (const headers of refused) {
      const response = await fetch(`${baseUrl}/images?plotType=CDC_timing&runNumber=5`, {
        method: 'POST',
        body: plot.png,
        headers: { ...headers, 'content-type': 'image/png' },
      });
      expect(response.status).toBe(403);
    }
    expect(await imageCount()).toBe(count);
  });

  it('stores a raw PNG body with the metadata from the query; the same bytes again are a duplicate', async () => {
    const plot = await simulatePlot('CDC_timing', 'Bad', 6);
    const first = await upload('plotType=CDC_timing&runNumber=77&chunk=3', plot.png, 'image/png');
    expect(first.status).toBe(201);
    const created = (await first.json()) as { imageId: string; duplicate: boolean };
    expect(created.duplicate).toBe(false);
    await waitFor(() => imagesNew().some((event) => event.imageId === created.imageId), 'image.new');
    const again = await upload('plotType=CDC_timing&runNumber=77&chunk=3', plot.png, 'image/png');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ imageId: created.imageId, plotType: 'CDC_timing', duplicate: true });
  });

  it('takes a multipart form with the metadata as fields', async () => {
    const plot = await simulatePlot('CDC_timing', 'Good', 7);
    const form = new FormData();
    form.set('plotType', 'CDC_timing');
    form.set('runNumber', '78');
    form.set('image', new Blob([plot.png], { type: 'image/png' }), 'whatever.png');
    const response = await fetch(`${baseUrl}/images`, { method: 'POST', body: form, headers: internal });
    expect(response.status).toBe(201);
    const { imageId } = (await response.json()) as { imageId: string };
    expect(await db.getRepository(Image).findOneByOrFail({ id: imageId })).toMatchObject({
      runNumber: 78,
      chunk: null,
    });
  });

  it('answers bad input with a clear error and keeps working', async () => {
    const plot = await simulatePlot('CDC_timing', 'Good', 8);
    const traversal = await upload('plotType=../../etc&runNumber=1', plot.png, 'image/png');
    expect(traversal.status).toBe(400);
    expect(((await traversal.json()) as { message: string }).message).toContain('plot type names');

    const json = await upload('plotType=CDC_timing&runNumber=1', '{"a":1}', 'application/octet-stream');
    expect(json.status).toBe(400);
    expect(((await json.json()) as { message: string }).message).toMatch(/^not-an-image/);

    const huge = await sharp({ create: { width: 10_000, height: 10_000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    const tooMany = await upload('plotType=CDC_timing&runNumber=1', huge, 'image/png');
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { message: string }).message).toContain('100,000,000 pixels');

    const missing = await upload('runNumber=1', plot.png, 'image/png');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toContain('plotType');

    const empty = await upload('plotType=CDC_timing&runNumber=1', '', 'image/png');
    expect(empty.status).toBe(400);

    const fine = await upload('plotType=CDC_timing&runNumber=1', plot.png, 'image/png');
    expect(fine.status).toBe(201);
    const health = (await (await fetch(`${baseUrl}/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
  });
});
