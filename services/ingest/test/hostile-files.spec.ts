import { mkdir, mkdtemp, open, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Image } from '@hydra/db';
import { waitFor } from '@hydra/messaging/testing';
import { simulatePlot } from '@hydra/simulator';
import {
  type IngestBed,
  metric,
  rejection,
  RUN_PERIOD,
  runFolder,
  startIngestBed,
  writePlot,
} from './support/ingest-bed';

let ingest: IngestBed;

// Room for waitFor's own 15 s limit, so a failure says what it waited for.
jest.setTimeout(20_000);
/** A second watched root whose rejected/ can never be made (a file is in the way). */
let brokenRoot: string;
/** Somewhere outside every watched folder. */
let outside: string;

const imageNew = (chunk: number) =>
  ingest.events.of('image.new').some((event) => event.chunk === chunk && event.runNumber === 1);

beforeAll(async () => {
  brokenRoot = await mkdtemp(join(tmpdir(), 'hydra-watch-broken-'));
  await writeFile(join(brokenRoot, 'rejected'), 'not a folder');
  outside = await mkdtemp(join(tmpdir(), 'hydra-outside-'));
  ingest = await startIngestBed('hydra_ingest_hostile', (_bed, root) => ({
    watch: { roots: [root, brokenRoot], stableMs: 300, incompleteMs: 6_000, afterStore: 'move' },
  }));
}, 60_000);

afterAll(async () => {
  await ingest?.stop();
  await rm(brokenRoot, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('files that once took ingest down', () => {
  it('rejects a file whose name is too long for a ".reason.txt" beside it, with a shortened reason file', async () => {
    const name = `${'A'.repeat(240)}_0001.png`;
    await writePlot(ingest.root, 1, name, (await simulatePlot('FCAL_occupancy', 'Good', 1)).png);
    const folder = join(ingest.root, 'rejected', RUN_PERIOD, 'Run000001');
    const reasonFile = async () =>
      (await readdir(folder).catch(() => [])).find(
        (file) => file.startsWith('AAAA') && file.endsWith('.reason.txt'),
      );
    await waitFor(async () => Boolean(await reasonFile()), 'the shortened reason file');
    const reason = await readFile(join(folder, (await reasonFile()) as string), 'utf8');
    expect(reason).toMatch(/^bad-name: /);
    expect(reason).toContain(name);
    expect(await readdir(folder)).toContain(name);
  });

  it('rejects a 3 GiB (sparse) file by its size without reading it', async () => {
    const path = join(runFolder(ingest.root, 1), 'Huge_plot_0001.png');
    await mkdir(runFolder(ingest.root, 1), { recursive: true });
    const handle = await open(path, 'w');
    await handle.truncate(3 * 2 ** 30);
    await handle.close();
    expect(await rejection(ingest.root, `${RUN_PERIOD}/Run000001/Huge_plot_0001.png`)).toMatch(
      /^too-large: 3221225472 bytes is over the limit of 5000000/,
    );
  });

  it('does not follow a folder link out of the watched tree, and leaves what it points to alone', async () => {
    const plot = await simulatePlot('FCAL_occupancy', 'Good', 2);
    const elsewhere = join(outside, 'Run000002');
    await mkdir(elsewhere, { recursive: true });
    await writeFile(join(elsewhere, 'FCAL_occupancy_0001.png'), plot.png);
    await mkdir(join(ingest.root, RUN_PERIOD), { recursive: true });
    await symlink(elsewhere, runFolder(ingest.root, 2));
    expect(await rejection(ingest.root, `${RUN_PERIOD}/Run000002`)).toMatch(/^symlink: .*Run000002/);
    expect(await readdir(elsewhere)).toEqual(['FCAL_occupancy_0001.png']);
    expect(await ingest.db.getRepository(Image).countBy({ runNumber: 2 })).toBe(0);
  });

  it('does not read a file link that points out of the watched tree', async () => {
    const secret = join(outside, 'secret.png');
    await writeFile(secret, (await simulatePlot('FCAL_occupancy', 'Good', 3)).png);
    await mkdir(runFolder(ingest.root, 1), { recursive: true });
    await symlink(secret, join(runFolder(ingest.root, 1), 'FCAL_occupancy_0004.png'));
    expect(await rejection(ingest.root, `${RUN_PERIOD}/Run000001/FCAL_occupancy_0004.png`)).toMatch(
      /^symlink: /,
    );
    expect(imageNew(4)).toBe(false);
    await expect(readFile(secret)).resolves.toBeInstanceOf(Buffer);
  });

  it('waits for a plot written slowly, with pauses longer than INGEST_STABLE_MS, and ingests it whole', async () => {
    const plot = await simulatePlot('FCAL_occupancy', 'Bad', 5);
    await mkdir(runFolder(ingest.root, 1), { recursive: true });
    const path = join(runFolder(ingest.root, 1), 'FCAL_occupancy_0005.png');
    const handle = await open(path, 'w');
    await handle.write(plot.png.subarray(0, plot.png.length >> 1));
    await handle.sync();
    // The writer stalls, as over NFS: five times INGEST_STABLE_MS.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await handle.write(plot.png.subarray(plot.png.length >> 1));
    await handle.close();
    await waitFor(() => imageNew(5), 'the slowly written plot to be ingested');
    await expect(
      readFile(join(ingest.root, 'rejected', RUN_PERIOD, 'Run000001', 'FCAL_occupancy_0005.png.reason.txt')),
    ).rejects.toThrow('ENOENT');
  });

  it('logs and counts an error nobody foresaw (rejected/ cannot be made), and goes on with other files', async () => {
    const errors = () => metric(ingest.url, /^hydra_ingest_errors_total\{/);
    const before = await errors();
    await writePlot(brokenRoot, 1, 'FCAL_occupancy_0006.png', Buffer.from('{"not": "an image"}'));
    await waitFor(async () => (await errors()) > before, 'the error to be counted');
    await writePlot(
      brokenRoot,
      1,
      'FCAL_occupancy_0007.png',
      (await simulatePlot('FCAL_occupancy', 'Good', 7)).png,
    );
    await waitFor(() => imageNew(7), 'the next plot to be ingested');
  });

  it('is still up and ingesting after all of the above', async () => {
    await writePlot(
      ingest.root,
      1,
      'FCAL_occupancy_0008.png',
      (await simulatePlot('FCAL_occupancy', 'Good', 8)).png,
    );
    await waitFor(() => imageNew(8), 'a plain plot to be ingested');
  });
});
