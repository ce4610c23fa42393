import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Image } from '@hydra/db';
import { waitFor } from '@hydra/messaging/testing';
import { simulatePlot } from '@hydra/simulator';
import {
  imageCount,
  type IngestBed,
  metric,
  RUN_PERIOD,
  startIngestBed,
  upload,
  writePlot,
} from './support/ingest-bed';

let ingest: IngestBed;

// Room for waitFor's own 15 s limit, so a failure says what it waited for.
jest.setTimeout(20_000);

interface UploadReply {
  imageId: string;
  duplicate: boolean;
}

async function push(query: string, png: Buffer): Promise<{ status: number } & UploadReply> {
  const response = await upload(ingest.url, query, png);
  return { status: response.status, ...((await response.json()) as UploadReply) };
}

const decodes = () => metric(ingest.url, /^hydra_ingest_decode_seconds_count[{ ]/);
const announced = (imageId: string) =>
  ingest.events.of('image.new').some((event) => event.imageId === imageId);

beforeAll(async () => {
  ingest = await startIngestBed('hydra_ingest_dedupe');
}, 60_000);

afterAll(() => ingest?.stop());

describe('what counts as the same plot', () => {
  it('gives the same bytes under another plot type, run or chunk an image (and image.new) of their own', async () => {
    const png = (await simulatePlot('CDC_timing', 'Good', 31)).png;
    const first = await push('plotType=CDC_timing&runNumber=10&chunk=1', png);
    const otherType = await push('plotType=CDC_occupancy&runNumber=10&chunk=1', png);
    const otherRun = await push('plotType=CDC_timing&runNumber=11&chunk=1', png);
    const otherChunk = await push('plotType=CDC_timing&runNumber=10&chunk=2', png);
    const replies = [first, otherType, otherRun, otherChunk];
    expect(replies.map((reply) => [reply.status, reply.duplicate])).toEqual(Array(4).fill([201, false]));
    expect(new Set(replies.map((reply) => reply.imageId)).size).toBe(4);
    for (const { imageId } of replies) await waitFor(() => announced(imageId), `image.new for ${imageId}`);
    const images = await ingest.db
      .getRepository(Image)
      .findBy(replies.map(({ imageId }) => ({ id: imageId })));
    for (const image of images) expect((await ingest.store.get(image.storageKey)).equals(png)).toBe(true);
    // One object per plot type and run: chunks of one run with the same bytes share it.
    const keyOf = (id: string) => images.find((image) => image.id === id)?.storageKey;
    expect(keyOf(otherChunk.imageId)).toBe(keyOf(first.imageId));
    expect(new Set(images.map((image) => image.storageKey)).size).toBe(3);
  });

  it('keeps every run’s empty (NoData) plot, though they are byte for byte the same', async () => {
    const empty = (await simulatePlot('FCAL_occupancy', 'NoData', 32)).png;
    const count = await imageCount(ingest.db);
    await writePlot(ingest.root, 21, 'FCAL_occupancy.png', empty);
    await writePlot(ingest.root, 22, 'FCAL_occupancy.png', empty);
    await waitFor(async () => (await imageCount(ingest.db)) === count + 2, 'both NoData plots to be stored');
    const runs = await ingest.db.getRepository(Image).findBy({ plotType: 'FCAL_occupancy' });
    expect(runs.map((image) => image.runNumber).sort()).toEqual([21, 22]);
  });

  it('answers a re-delivery of the same plot with the first image, without decoding it again', async () => {
    const png = (await simulatePlot('CDC_timing', 'Bad', 33)).png;
    const first = await push('plotType=CDC_timing&runNumber=12&chunk=3', png);
    expect(first.status).toBe(201);
    const decoded = await decodes();
    const again = await push('plotType=CDC_timing&runNumber=12&chunk=3', png);
    expect(again).toMatchObject({ status: 200, imageId: first.imageId, duplicate: true });
    expect(await decodes()).toBe(decoded);
  });

  it('takes a plot file written again after it was ingested as the same image', async () => {
    const png = (await simulatePlot('FCAL_occupancy', 'Good', 34)).png;
    await writePlot(ingest.root, 23, 'FCAL_occupancy_0001.png', png);
    await waitFor(
      () => ingest.events.of('image.new').some((event) => event.runNumber === 23),
      'the first delivery',
    );
    const count = await imageCount(ingest.db);
    const ingested = join(ingest.root, 'ingested', RUN_PERIOD, 'Run000023');
    await writePlot(ingest.root, 23, 'FCAL_occupancy_0001.png', png);
    // The second copy lands beside the first under ingested/, with a timestamp.
    await waitFor(async () => (await readdir(ingested).catch(() => [])).length === 2, 'the re-delivery');
    expect(await imageCount(ingest.db)).toBe(count);
  });
});
