import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@hydra/messaging/testing';
import { simulatePlot, type SimulatedLabel, type SimulatedPlot } from '@hydra/simulator';
import { confidentPlots, startHydraProcesses, type HydraProcesses } from '@hydra/testing';
import { WatchedFolder } from './support/watched-folder';

const PLOT = 'FCAL_occupancy';
let loop: HydraProcesses;
let confident: Record<SimulatedLabel, SimulatedPlot[]>;
let watched: WatchedFolder;

const imageIdOf = (sha256: string) =>
  loop.events.of('image.new').find((event) => event.sha256 === sha256)?.imageId as string | undefined;
const verdictOf = (imageId: string | undefined) =>
  loop.events.of('image.classified').find((event) => event.imageId === imageId);

async function classified(sha256: string) {
  await waitFor(
    () => verdictOf(imageIdOf(sha256)) !== undefined,
    `the verdict of ${sha256.slice(0, 8)}`,
    30_000,
  );
  return verdictOf(imageIdOf(sha256)) as Record<string, unknown>;
}

/** Plots of these labels written one after another into `run`, each judged before the next. */
async function writeInOrder(run: number, labels: SimulatedLabel[]): Promise<Record<string, unknown>[]> {
  const verdicts = [];
  for (const label of labels) {
    const pool = confident[label];
    // Each plot once: the same bytes twice would be one image.
    const plot = pool.shift() as SimulatedPlot;
    verdicts.push(await classified(await watched.write(PLOT, run, plot.png)));
  }
  return verdicts;
}

/** Watched files ingest has recognised as a re-delivery of a plot it knows, from its metrics. */
async function watchedDuplicates(): Promise<number> {
  const metrics = await (await fetch(`${loop.services.ingest?.url}/metrics`)).text();
  const line = metrics
    .split('\n')
    .find(
      (text) =>
        text.startsWith('hydra_ingest_images_total{') &&
        text.includes('source="watch"') &&
        text.includes('outcome="duplicate"'),
    );
  return Number(line?.split(' ').at(-1) ?? 0);
}

const alarms = () => loop.events.events.filter((event) => event.subject.startsWith('alarm.'));

beforeAll(async () => {
  loop = await startHydraProcesses({
    scripts: {
      ingest: require.resolve('@hydra/ingest/dist/main.js'),
      classifier: require.resolve('@hydra/classifier/dist/main.js'),
      explainer: require.resolve('@hydra/explainer/dist/main.js'),
      'labeler-api': require.resolve('@hydra/labeler-api/dist/main.js'),
    },
    plotType: PLOT,
    thresholds: { Good: 0.6, Bad: 0.6, NoData: 0.6 },
    ackWaitMs: 3_000,
  });
  confident = await confidentPlots(loop.store, `models/${PLOT}/${loop.modelId}/`, PLOT, {
    Good: 12,
    Bad: 10,
    NoData: 3,
  });
  watched = new WatchedFolder(loop.watchDir);
}, 300_000);

afterAll(() => loop?.stop());

it('judges plots written into the watched folder with the production model', async () => {
  const verdicts = await writeInOrder(1, ['Good', 'Bad', 'NoData', 'Good', 'Bad', 'NoData', 'Good']);
  expect(verdicts.map((verdict) => verdict.verdict)).toEqual([
    'Good',
    'Bad',
    'NoData',
    'Good',
    'Bad',
    'NoData',
    'Good',
  ]);
  expect(verdicts.every((verdict) => verdict.modelId === loop.modelId && verdict.confirmed)).toBe(true);
});

it('raises one alarm for a fault lasting several chunks, latches it until acknowledged, clears it on recovery, and explains the Bad plots', async () => {
  const before = alarms().length;
  await writeInOrder(2, ['Good', 'Good']);
  const bad = await writeInOrder(2, ['Bad', 'Bad', 'Bad', 'Bad']);
  await waitFor(() => alarms().length > before, 'the alarm');
  expect(
    alarms()
      .slice(before)
      .map((event) => event.subject),
  ).toEqual([`alarm.raised.${PLOT}`]);

  // The heat maps of confirmed Bad verdicts, by the model that gave them.
  await waitFor(
    () =>
      bad.every((verdict) =>
        loop.events.of('image.explained').some((event) => event.imageId === verdict.imageId),
      ),
    'the heat maps',
  );
  const explained = loop.events.of('image.explained').find((event) => event.imageId === bad[0]?.imageId);
  expect(await loop.store.stat(explained?.heatmapKey as string)).not.toBeNull();

  // The shift crew acknowledges through labeler-api, which forwards it with their name.
  const shiftToken = await loop.apiToken('shift-leader', 'shift');
  const acknowledge = await fetch(`${loop.services['labeler-api']?.url}/api/alarms/${PLOT}/acknowledge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${shiftToken}` },
    body: JSON.stringify({ reason: 'on it' }),
  });
  expect(acknowledge.status).toBe(200);
  await writeInOrder(2, ['Good', 'Good']);
  await waitFor(() => alarms().length === before + 3, 'the alarm to clear');
  expect(
    alarms()
      .slice(before)
      .map((event) => `${event.data.event}→${event.data.state}`),
  ).toEqual(['raised→active-unacknowledged', 'acknowledged→active-acknowledged', 'cleared→normal']);
  expect(alarms()[before + 1]?.data).toMatchObject({ by: 'shift-leader' });
});

it('treats a duplicate, a truncated file and an unknown plot type as specified', async () => {
  const good = confident.Good.shift() as SimulatedPlot;
  const name = watched.nextFile(PLOT);
  const first = await watched.writeFile(3, name, good.png);
  await classified(first);
  const imagesBefore = loop.events.of('image.new').length;
  // The same plot delivered again (the producer rewrote the file) is one image.
  const duplicatesBefore = await watchedDuplicates();
  await watched.writeFile(3, name, good.png);
  await waitFor(async () => (await watchedDuplicates()) > duplicatesBefore, 'ingest to see the re-delivery');

  const truncated = watched.nextFile(PLOT);
  await watched.writeFile(3, truncated, good.png.subarray(0, 2000));
  const reason = join(loop.watchDir, 'rejected', 'RunPeriod-2026-01', 'Run000003', `${truncated}.reason.txt`);
  await waitFor(
    () =>
      readFile(reason).then(
        () => true,
        () => false,
      ),
    'the truncated file to be moved aside',
  );
  expect(await readFile(reason, 'utf8')).toMatch(/^truncated: /);

  const unknown = await watched.write('Mystery_plot', 3, (await simulatePlot('CDC_timing', 'Good', 1)).png);
  expect(await classified(unknown)).toMatchObject({
    plotType: 'Mystery_plot',
    verdict: 'NoModel',
    modelId: null,
  });
  // The duplicate announced nothing new (announced before it was counted, so before the verdict above).
  expect(loop.events.of('image.new').length).toBe(imagesBefore + 1);
});

it('loses no image when the classifier is killed mid-stream: every image gets exactly one verdict', async () => {
  const plots = await Promise.all(
    Array.from({ length: 60 }, (_, index) => simulatePlot(PLOT, index % 3 ? 'Good' : 'Bad', 90_000 + index)),
  );
  const hashes: string[] = [];
  const write = async (some: typeof plots) => {
    for (const plot of some) {
      hashes.push(await watched.write(PLOT, 4, plot.png));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  // Half stream in while the classifier works and is killed; the other half arrive while it is down.
  const writing = write(plots.slice(0, 30));
  await waitFor(
    () => hashes.filter((sha256) => verdictOf(imageIdOf(sha256))).length >= 10,
    'the first verdicts',
  );
  await loop.classifiers[0]?.kill();
  await writing;
  await write(plots.slice(30));
  await loop.start('classifier');
  await waitFor(
    () => hashes.every((sha256) => verdictOf(imageIdOf(sha256)) !== undefined),
    'a verdict for every image',
    60_000,
  );
  const ids = hashes.map((sha256) => imageIdOf(sha256) as string);
  // One verdict per image whatever the model (the unique index only holds per model), by production.
  const rows: { image_id: string; verdicts: number; by_production: number }[] = await loop.db.query(
    `SELECT image_id, count(*)::int AS verdicts, count(*) FILTER (WHERE model_id = $2)::int AS by_production
       FROM classification WHERE image_id = ANY($1) GROUP BY image_id`,
    [ids, loop.modelId],
  );
  expect(rows).toHaveLength(60);
  expect(rows.filter((row) => row.verdicts !== 1 || row.by_production !== 1)).toEqual([]);
  // And announced once: the verdict of a redelivered image.new is the stored one, which the broker drops.
  const announcements = loop.events
    .of('image.classified')
    .filter((event) => ids.includes(event.imageId as string));
  expect(announcements).toHaveLength(60);
}, 120_000);
