import { randomUUID } from 'node:crypto';
import { User, UserPlotPermission } from '@hydra/db';
import { waitFor } from '@hydra/messaging/testing';
import type { SimulatedPlot } from '@hydra/simulator';
import { confidentPlots, type HydraProcesses, type ServiceName, startHydraProcesses } from '@hydra/testing';
import { chunkFile, WatchedFolder } from './support/watched-folder';

/**
 * A short chaos run: a steady stream of plots (half written into the watched folder, half uploaded
 * through labeler-api) and label batches, while ingest, the classifier, labeler-api and the
 * explainer are each SIGKILLed and restarted in turn and the test's own NATS is killed and
 * restarted. Afterwards nothing is lost and nothing is doubled.
 */
jest.setTimeout(240_000);

const PLOT = 'FCAL_occupancy';
const IMAGES = 96;
const IMAGE_EVERY_MS = 350;
const BATCH_EVERY_MS = 900;
const BATCH_SIZE = 4;
/** How long a client keeps retrying one request before it gives up (and the test fails). */
const CLIENT_PATIENCE_MS = 90_000;
/** The faults, in order, each once this many plots have been sent. */
const FAULTS: { after: number; fault: ServiceName | 'nats' }[] = [
  { after: 8, fault: 'ingest' },
  { after: 24, fault: 'classifier' },
  { after: 40, fault: 'labeler-api' },
  { after: 56, fault: 'explainer' },
  { after: 70, fault: 'nats' },
];

const WATCH_RUN = 1;
const UPLOAD_RUN = 2;

let hydra: HydraProcesses;
let api: string;
let feederToken: string;
let labelerToken: string;
let plots: SimulatedPlot[];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a real client does: retry a refused connection or a 5xx with the same request, never a 4xx. */
async function withRetries(
  send: () => Promise<Response>,
  what: string,
): Promise<{ response: Response; attempts: number }> {
  const deadline = Date.now() + CLIENT_PATIENCE_MS;
  for (let attempts = 1; ; attempts++) {
    const response = await send().catch(() => null);
    if (response && response.status < 500) return { response, attempts };
    if (Date.now() > deadline) throw new Error(`${what}: no answer but ${response?.status ?? 'refused'}`);
    await pause(250);
  }
}

beforeAll(async () => {
  hydra = await startHydraProcesses({
    scripts: {
      ingest: require.resolve('@hydra/ingest/dist/main.js'),
      classifier: require.resolve('@hydra/classifier/dist/main.js'),
      explainer: require.resolve('@hydra/explainer/dist/main.js'),
      'labeler-api': require.resolve('@hydra/labeler-api/dist/main.js'),
    },
    plotType: PLOT,
    thresholds: { Good: 0.6, Bad: 0.6, NoData: 0.6 },
    ackWaitMs: 3_000,
    nats: 'private',
  });
  api = hydra.services['labeler-api']?.url as string;
  feederToken = await hydra.apiToken('feeder', 'shift');
  labelerToken = await hydra.apiToken('labeler', 'labeler');
  const labeler = await hydra.db.getRepository(User).findOneByOrFail({ name: 'labeler' });
  await hydra.db
    .getRepository(UserPlotPermission)
    .insert({ userId: labeler.id, plotType: PLOT, canLabel: true });
  // Runs of Good and Bad the model is sure of, so the alarm is raised and cleared during the run.
  const pools = await confidentPlots(hydra.store, `models/${PLOT}/${hydra.modelId}/`, PLOT, {
    Good: IMAGES / 2,
    Bad: IMAGES / 2,
  });
  plots = Array.from({ length: IMAGES }, (_, index) =>
    Math.floor(index / 6) % 2 ? (pools.Bad.pop() as SimulatedPlot) : (pools.Good.pop() as SimulatedPlot),
  );
}, 300_000);

afterAll(() => hydra?.stop());

it('loses nothing and doubles nothing while every service is SIGKILLed in turn and NATS restarts', async () => {
  const started = Date.now();
  /** Each plot sent, by the delivery key it has in the `image` table. */
  const sent: { runNumber: number; chunk: number }[] = [];
  const counts = { uploadAttempts: 0, uploadsAbsorbed: 0, labelAttempts: 0, labelsRepeated: 0 };
  const uploadedIds: string[] = [];
  const acknowledged = new Map<string, { imageId: string; label: string }[]>();
  const faults: string[] = [];
  let feeding = true;

  const upload = async (plot: SimulatedPlot, chunk: number) => {
    const query = `plotType=${PLOT}&runNumber=${UPLOAD_RUN}&runPeriod=2026-01&chunk=${chunk}`;
    const { response, attempts } = await withRetries(
      () =>
        fetch(`${api}/api/images?${query}`, {
          method: 'POST',
          headers: { 'content-type': 'image/png', authorization: `Bearer ${feederToken}` },
          body: new Uint8Array(plot.png),
        }),
      `upload of chunk ${chunk}`,
    );
    counts.uploadAttempts += attempts;
    const body = (await response.json()) as { imageId: string; duplicate: boolean };
    if (response.status !== 200 && response.status !== 201)
      throw new Error(`upload of chunk ${chunk}: ${response.status} ${JSON.stringify(body)}`);
    // A retry of an upload whose first answer was lost: ingest recognised the plot.
    if (body.duplicate) counts.uploadsAbsorbed++;
    uploadedIds.push(body.imageId);
  };

  const watched = new WatchedFolder(hydra.watchDir);
  const writeIntoWatchedFolder = async (plot: SimulatedPlot, chunk: number) => {
    await watched.writeFile(WATCH_RUN, chunkFile(PLOT, chunk), plot.png);
  };

  const feed = async () => {
    const sending: Promise<void>[] = [];
    for (const [index, plot] of plots.entries()) {
      const chunk = index + 1;
      const runNumber = index % 2 ? UPLOAD_RUN : WATCH_RUN;
      sent.push({ runNumber, chunk });
      sending.push(runNumber === UPLOAD_RUN ? upload(plot, chunk) : writeIntoWatchedFolder(plot, chunk));
      await pause(IMAGE_EVERY_MS);
    }
    await Promise.all(sending);
  };

  const label = async () => {
    const posting: Promise<void>[] = [];
    while (feeding) {
      await pause(BATCH_EVERY_MS);
      if (uploadedIds.length < BATCH_SIZE) continue;
      const batchId = randomUUID();
      const items = uploadedIds.slice(-BATCH_SIZE).map((imageId, index) => ({
        imageId,
        label: index % 2 ? 'Bad' : 'Good',
      }));
      posting.push(
        (async () => {
          const { response, attempts } = await withRetries(
            () =>
              fetch(`${api}/api/plot-types/${PLOT}/labels`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${labelerToken}` },
                body: JSON.stringify({ batchId, items }),
              }),
            `label batch ${batchId}`,
          );
          counts.labelAttempts += attempts;
          const body = (await response.json()) as { repeated?: boolean };
          if (response.status !== 201)
            throw new Error(`label batch ${batchId}: ${response.status} ${JSON.stringify(body)}`);
          // A retry of a batch whose first answer was lost: stored once, answered as a repeat.
          if (body.repeated) counts.labelsRepeated++;
          acknowledged.set(batchId, items);
        })(),
      );
    }
    await Promise.all(posting);
  };

  const inject = async () => {
    for (const { after, fault } of FAULTS) {
      await waitFor(() => sent.length >= after, `${after} plots sent`, CLIENT_PATIENCE_MS);
      if (fault === 'nats') {
        await hydra.nats?.restart('SIGKILL');
        faults.push('NATS SIGKILL+restart');
      } else {
        const service = hydra.services[fault];
        if (!service) throw new Error(`${fault} is not running`);
        await service.kill();
        await service.restart();
        faults.push(`${fault} SIGKILL+restart`);
      }
    }
  };

  const chaos = inject();
  const labeling = label();
  await feed();
  await chaos;
  feeding = false;
  await labeling;
  expect(faults).toHaveLength(FAULTS.length);

  // Every plot sent is one image, and every image has exactly one verdict, by the production model.
  const imagesSent = () =>
    hydra.db.query<{ id: string; run_number: number; chunk: number; verdicts: number; by_model: number }[]>(
      `SELECT i.id, i.run_number, i.chunk, count(c.id)::int AS verdicts,
              count(c.id) FILTER (WHERE c.model_id = $2)::int AS by_model
         FROM image i LEFT JOIN classification c ON c.image_id = i.id
        WHERE i.plot_type = $1 GROUP BY i.id`,
      [PLOT, hydra.modelId],
    );
  // On a timeout the assertions below say what is missing.
  await waitFor(
    async () => {
      const rows = await imagesSent();
      return rows.length >= sent.length && rows.every((row) => row.verdicts > 0);
    },
    'a verdict for every plot sent',
    60_000,
  ).catch(() => undefined);
  const rows = await imagesSent();
  const key = ({ runNumber, chunk }: { runNumber: number; chunk: number }) => `${runNumber}/${chunk}`;
  expect(rows.map((row) => key({ runNumber: row.run_number, chunk: row.chunk })).sort()).toEqual(
    sent.map(key).sort(),
  );
  expect(rows.filter((row) => row.verdicts !== 1 || row.by_model !== 1)).toEqual([]);
  // Each verdict announced exactly once.
  const unannounced = () =>
    rows
      .filter((row) => !hydra.events.of('image.classified').some((event) => event.imageId === row.id))
      .map((row) => `${row.run_number}/${row.chunk}`);
  await waitFor(() => unannounced().length === 0, 'the announcement of every verdict').catch(() => undefined);
  expect(unannounced()).toEqual([]);
  const announced = new Map<string, number>();
  for (const event of hydra.events.of('image.classified'))
    announced.set(event.imageId as string, (announced.get(event.imageId as string) ?? 0) + 1);
  expect([...announced.values()].filter((times) => times !== 1)).toEqual([]);

  // Every acknowledged label batch is stored, with its items.
  const batches = await hydra.db.query<{ id: string; items: { imageId: string; label: string }[] }[]>(
    `SELECT id, items FROM label_batch WHERE id = ANY($1)`,
    [[...acknowledged.keys()]],
  );
  expect(acknowledged.size).toBeGreaterThan(0);
  expect(
    new Map(
      batches.map((batch) => [batch.id, batch.items.map(({ imageId, label }) => ({ imageId, label }))]),
    ),
  ).toEqual(acknowledged);

  // Every alarm transition recorded once and announced once; the run raised the alarm at least once.
  const transitions = await hydra.db.query<
    { id: string; event: string; state: string; image_id: string | null }[]
  >(`SELECT id, event, state, image_id FROM alarm WHERE plot_type = $1 ORDER BY occurred_at`, [PLOT]);
  expect(transitions.some((row) => row.event === 'raised')).toBe(true);
  // Each transition changes the state: the same state twice in a row is a transition recorded twice.
  expect(transitions.filter((row, index) => row.state === transitions[index - 1]?.state)).toEqual([]);
  // And a verdict causes a transition of a kind at most once, however often it is delivered.
  const causes = transitions.flatMap((row) => (row.image_id ? [`${row.event} ${row.image_id}`] : []));
  expect(causes.filter((cause, index) => causes.indexOf(cause) !== index)).toEqual([]);
  await waitFor(
    () =>
      transitions.every((row) =>
        hydra.events.events.some((event) => event.subject.startsWith('alarm.') && event.data.id === row.id),
      ),
    'the announcement of every alarm transition',
  ).catch(() => undefined);
  const alarmIds = hydra.events.events
    .filter((event) => event.subject.startsWith('alarm.'))
    .map((event) => event.data.id as string);
  expect(alarmIds.sort()).toEqual(transitions.map((row) => row.id).sort());

  // What the broker delivered more than once, and what the clients sent again.
  const imageNew = await hydra.consumerInfo('classifier__image_new');
  const imageNewMessages = hydra.events.of('image.new').length;
  const labelAdded = hydra.events.of('label.added').length;
  console.log(
    [
      `chaos: ${sent.length} images sent (${sent.length / 2} written, ${sent.length / 2} uploaded in ${counts.uploadAttempts} attempts)`,
      `${rows.length} images, ${rows.reduce((sum, row) => sum + row.verdicts, 0)} verdicts`,
      `image.new: ${imageNewMessages} messages, ${imageNew.delivered.consumer_seq} deliveries to the classifier (${imageNew.delivered.consumer_seq - imageNewMessages} redelivered and absorbed)`,
      `uploads answered as duplicates: ${counts.uploadsAbsorbed}`,
      `labels: ${acknowledged.size} batches acked (${counts.labelAttempts} attempts, ${counts.labelsRepeated} retries answered as repeated), ${batches.length} stored, ${labelAdded} label.added`,
      `alarm transitions: ${transitions.length} recorded, ${alarmIds.length} announced`,
      `faults: ${faults.join(', ')}`,
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
    ].join('; '),
  );
});
