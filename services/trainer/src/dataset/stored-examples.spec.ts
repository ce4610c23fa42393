import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageToInput, prefetchBatches } from '@hydra/ml';
import { simulateDataset } from '@hydra/simulator';
import { LocalObjectStore } from '@hydra/storage';
import { spreadSample, storedExampleSource } from './stored-examples';

const INPUT = { height: 24, width: 32, channels: 3 } as const;
const TITLE = [{ x: 0, y: 0, width: 1, height: 0.1 }];

let root: string;
let store: LocalObjectStore;
const pngs: Buffer[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hydra-stored-examples-'));
  store = new LocalObjectStore({ root, signingSecret: 'test', publicBaseUrl: 'http://127.0.0.1/objects' });
  for await (const plot of simulateDataset({ plotType: 'FCAL_occupancy', count: 5, seed: 3 })) {
    await store.put(`images/${pngs.length}.png`, plot.png);
    pngs.push(plot.png);
  }
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('stored training images', () => {
  it('reads the asked images from the store, prepared as the model sees them', async () => {
    const keys = pngs.map((_, index) => `images/${index}.png`);
    const source = storedExampleSource(store, { keys, labels: [0, 1, 2, 0, 1] }, INPUT, TITLE);
    const inputs = await source.read([4, 1]);
    expect(inputs).toEqual([
      await imageToInput(pngs[4] as Buffer, INPUT, TITLE),
      await imageToInput(pngs[1] as Buffer, INPUT, TITLE),
    ]);
  });

  it('names the image that cannot be prepared', async () => {
    await store.put('images/broken.png', Buffer.from('{"not": "an image"}'));
    const source = storedExampleSource(store, { keys: ['images/broken.png'], labels: [0] }, INPUT, []);
    const batches = prefetchBatches(source, [[0]]);
    await expect(batches.next()).rejects.toThrow('image "images/broken.png" cannot be prepared for training');
  });

  it('reads nothing once the signal is aborted', async () => {
    const read = jest.spyOn(store, 'get');
    const source = storedExampleSource(store, { keys: ['images/0.png'], labels: [0] }, INPUT, []);
    await expect(source.read([0], AbortSignal.abort())).rejects.toThrow();
    expect(read).not.toHaveBeenCalled();
    read.mockRestore();
  });

  it('samples a bounded number of positions spread over the whole split', () => {
    expect(spreadSample(10, 4)).toEqual([0, 2, 5, 7]);
    expect(spreadSample(3, 200)).toEqual([0, 1, 2]);
  });
});
