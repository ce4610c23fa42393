import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@hydra/messaging/testing';
import { Logger } from '@nestjs/common';
import sharp from 'sharp';
import type { ImageIngestService } from '../src/image-ingest.service';
import type { IngestConfig } from '../src/ingest.config';
import { PlotFolderWatcher } from '../src/plot-folder.watcher';

const KEPT = 5_000;

let root: string;
let runFolder: string;
let png: Buffer;
let watcher: PlotFolderWatcher | undefined;
/** Base names of the files handed to ingest, in order. */
let ingested: string[];

function startWatcher(rescanMs: number): Promise<void> {
  const config: IngestConfig = {
    port: 0,
    databaseUrl: 'postgres://unused',
    watch: { roots: [root], stableMs: 300, incompleteMs: 1_000, afterStore: 'keep', rescanMs },
    limits: { maxBytes: 5_000_000, maxPixels: 25_000_000, maxConcurrentDecodes: 2 },
    internalToken: null,
  };
  const ingest = {
    ingest: jest.fn((_bytes: Buffer, metadata: { plotType: string; chunk: number | null }) => {
      ingested.push(`${metadata.plotType}_${String(metadata.chunk).padStart(4, '0')}.png`);
      return Promise.resolve({ imageId: String(ingested.length), duplicate: false });
    }),
    countRejection: jest.fn(),
  } as unknown as ImageIngestService;
  watcher = new PlotFolderWatcher(config, ingest);
  return watcher.onApplicationBootstrap();
}

beforeAll(async () => {
  Logger.overrideLogger(['error', 'warn']);
  png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();
});

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hydra-watch-scale-'));
  runFolder = join(root, 'RunPeriod-2026-01', 'Run000001');
  await mkdir(runFolder, { recursive: true });
  ingested = [];
});

afterEach(async () => {
  jest.restoreAllMocks();
  await watcher?.onApplicationShutdown();
  watcher = undefined;
  await rm(root, { recursive: true, force: true });
});

const name = (plotType: string, index: number) => `${plotType}_${String(index).padStart(4, '0')}.png`;

it('handles a new file beside thousands of kept ones without listing the folder again', async () => {
  for (let start = 0; start < KEPT; start += 500) {
    const batch = Array.from({ length: Math.min(500, KEPT - start) }, (_, i) => start + i);
    await Promise.all(batch.map((index) => writeFile(join(runFolder, name('Kept', index)), png)));
  }
  await startWatcher(3_600_000);
  await waitFor(() => ingested.length === KEPT, `the ${KEPT} files already there`, 60_000);

  // Every directory entry listed from now on, whoever lists it.
  let listed = 0;
  const readdir = fsPromises.readdir;
  jest.spyOn(fsPromises, 'readdir').mockImplementation(async (...args: Parameters<typeof readdir>) => {
    const entries = await readdir(...args);
    listed += entries.length;
    return entries;
  });
  const NEW = 20;
  for (let index = 0; index < NEW; index++) {
    await writeFile(join(runFolder, name('Fresh', index)), png);
    await waitFor(() => ingested.includes(name('Fresh', index)), `${name('Fresh', index)} to be ingested`);
  }
  // Listing the folder even once per new file would be 5,000 entries each.
  expect(listed).toBeLessThan(NEW * 10);
  // Kept files are not read or ingested again.
  expect(ingested).toHaveLength(KEPT + NEW);
}, 120_000);

it('forgets kept files that are gone, and stores a file again under a name that comes back', async () => {
  await Promise.all(Array.from({ length: 50 }, (_, i) => writeFile(join(runFolder, name('Kept', i)), png)));
  await startWatcher(3_600_000);
  await waitFor(() => ingested.length === 50, 'the 50 files already there');
  const remembered = () => (watcher as unknown as { done: Map<string, string> }).done.size;
  expect(remembered()).toBe(50);

  await Promise.all(Array.from({ length: 50 }, (_, i) => unlink(join(runFolder, name('Kept', i)))));
  await waitFor(() => remembered() === 0, 'the deleted files to be forgotten');
  await writeFile(join(runFolder, name('Kept', 7)), png);
  await waitFor(() => ingested.length === 51, 'the file written again to be stored');
});

it('picks up, within one rescan, a file whose watch event never came', async () => {
  // The kernel drops events when its queue overflows: this watch never reports names starting "Missed".
  const watch = fs.watch;
  jest.spyOn(fs, 'watch').mockImplementation(((
    folder: string,
    options: fs.WatchOptions,
    listener: fs.WatchListener<string>,
  ) =>
    watch(folder, options, (event, file) => {
      if (!file?.startsWith('Missed')) listener(event, file);
    })) as unknown as typeof fs.watch);
  await startWatcher(1_000);
  await writeFile(join(runFolder, name('Seen', 1)), png);
  await waitFor(() => ingested.includes(name('Seen', 1)), 'a reported file to be ingested');

  await writeFile(join(runFolder, name('Missed', 1)), png);
  // In a folder made after the start too.
  const later = join(root, 'RunPeriod-2026-01', 'Run000002');
  await mkdir(later);
  await writeFile(join(later, name('Missed', 2)), png);
  await waitFor(
    () => ingested.includes(name('Missed', 1)) && ingested.includes(name('Missed', 2)),
    'the unreported files to be found by the rescan',
    10_000,
  );
  expect(ingested.filter((file) => file.startsWith('Missed'))).toHaveLength(2);
});
