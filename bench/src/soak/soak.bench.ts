/**
 * The soak: each service in its own process (ingest, two classifier replicas, explainer,
 * labeler-api) on PostgreSQL, NATS and an object store, fed plots at a steady rate for many
 * minutes while a labeler sends a batch every few seconds. Per minute: file lands →
 * image.classified p50/p99, each service's resident memory, every durable consumer's lag; at the
 * end: lag back to 0, no image without a verdict, every acknowledged label batch stored. Writes
 * results.json, results.md, latency.svg and memory.svg into --out.
 *   npm run bench:soak -- --minutes 10 --rate 20 --label-every-s 5 --store s3
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { StatusDto } from '@hydra/contracts';
import { startHydraProcesses, type HydraProcesses } from '@hydra/testing';
import { Command, InvalidArgumentError, Option } from 'commander';
import { summarize } from '../stats';
import { simulatedPlots, WatchedFolder, type WrittenPlot } from '../watched-folder';
import { residentBytes } from './process-memory';
import { latencyChartSvg, memoryChartSvg } from './soak-charts';
import {
  latencyPerMinute,
  resultsMarkdown,
  type LabelBatches,
  type Sample,
  type SoakResults,
  totalLag,
} from './soak-results';

const positive = (value: string) => {
  const number = Number(value);
  if (!(number > 0)) throw new InvalidArgumentError('must be a number above 0');
  return number;
};

const options = new Command('soak-bench')
  .option('--minutes <n>', 'minutes of paced writing', positive, 10)
  .option('--rate <n>', 'images/s written into the watched folder', positive, 20)
  .option('--label-every-s <s>', 'seconds between label batches', positive, 5)
  .option('--label-batch <n>', 'images per label batch', positive, 20)
  .option(
    '--drain-s <s>',
    'seconds allowed after the last image for every verdict and zero lag',
    positive,
    300,
  )
  .addOption(
    new Option('--store <kind>', 's3 (a local Ceph gateway) or local (a folder, as on one machine)')
      .choices(['s3', 'local'])
      .default('s3'),
  )
  .option(
    '--out <dir>',
    'folder for the results',
    resolve(__dirname, '../../results', `soak-${new Date().toISOString().replace(/[:.]/g, '-')}`),
  )
  .parse()
  .opts<{
    minutes: number;
    rate: number;
    labelEveryS: number;
    labelBatch: number;
    drainS: number;
    store: 's3' | 'local';
    out: string;
  }>();

const PLOT = 'FCAL_occupancy';
const sleepUntil = (time: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, time - performance.now())));

/** What the recorder has seen so far, indexed as it grows (a long run records tens of thousands of events). */
class Verdicts {
  private seen = 0;
  readonly imageBySha = new Map<string, string>();
  /** `performance.now()` of each image's first verdict. */
  readonly verdictAt = new Map<string, number>();
  /** Judged images in verdict order, for the labeler to work through. */
  readonly judged: { imageId: string; verdict: string }[] = [];

  constructor(private readonly loop: HydraProcesses) {}

  update(): this {
    const { events } = this.loop.events;
    for (; this.seen < events.length; this.seen++) {
      const { subject, data, receivedAt } = events[this.seen] as (typeof events)[number];
      const imageId = data.imageId as string;
      if (subject === 'image.new') this.imageBySha.set(data.sha256 as string, imageId);
      if (subject === 'image.classified' && !this.verdictAt.has(imageId)) {
        this.verdictAt.set(imageId, receivedAt);
        this.judged.push({ imageId, verdict: data.verdict as string });
      }
    }
    return this;
  }

  verdictOf(sha256: string): number | undefined {
    const imageId = this.imageBySha.get(sha256);
    return imageId === undefined ? undefined : this.verdictAt.get(imageId);
  }
}

/** A labeler accepting the model's verdicts on the newest judged images, one batch every few seconds. */
class Labeler {
  private next = 0;
  private stopped = false;
  readonly batches: { batchId: string; items: number; acked: boolean; ms: number }[] = [];
  private readonly running: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly verdicts: Verdicts,
  ) {
    this.running = this.run();
  }

  private async run() {
    for (let due = performance.now(); !this.stopped;) {
      due += options.labelEveryS * 1000;
      await sleepUntil(due);
      if (!this.stopped) await this.send();
    }
  }

  private async send() {
    const { judged } = this.verdicts.update();
    const items = judged
      .slice(this.next, this.next + options.labelBatch)
      .map(({ imageId, verdict }) => ({ imageId, label: verdict }));
    if (items.length === 0) return;
    this.next += items.length;
    const batchId = randomUUID();
    const start = performance.now();
    let acked = false;
    try {
      const response = await fetch(`${this.url}/api/plot-types/${PLOT}/labels`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batchId, items }),
      });
      acked = response.ok;
      if (!acked) console.error(`label batch ${batchId}: ${response.status} ${await response.text()}`);
    } catch (error) {
      console.error(`label batch ${batchId}: ${String(error)}`);
    }
    this.batches.push({ batchId, items: items.length, acked, ms: performance.now() - start });
  }

  async stop() {
    this.stopped = true;
    await this.running;
  }
}

/** Each service's process id by name, the classifier replicas numbered. */
function serviceProcesses(loop: HydraProcesses): [string, number][] {
  const named: [string, number][] = loop.classifiers.map((service, index) => [
    `classifier ${index + 1}`,
    service.pid,
  ]);
  for (const [name, service] of Object.entries(loop.services))
    if (name !== 'classifier' && service) named.push([name, service.pid]);
  return named.sort(([a], [b]) => a.localeCompare(b));
}

async function consumerLag(url: string, token: string): Promise<Record<string, number>> {
  const response = await fetch(`${url}/api/status`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`GET /api/status: ${response.status} ${await response.text()}`);
  const { consumers } = (await response.json()) as StatusDto;
  if (consumers.note) throw new Error(`consumer lag: ${consumers.note}`);
  return Object.fromEntries(consumers.lag.map(({ consumer, lag }) => [consumer, lag]));
}

async function main() {
  const total = Math.round(options.minutes * 60 * options.rate);
  console.log(`simulating ${total} plots…`);
  const plots = await simulatedPlots(PLOT, total);
  console.log(
    `starting a database, the ${options.store} object store, ingest, 2 classifiers, explainer and labeler-api…`,
  );
  const loop = await startHydraProcesses({
    scripts: {
      ingest: require.resolve('@hydra/ingest/dist/main.js'),
      classifier: require.resolve('@hydra/classifier/dist/main.js'),
      explainer: require.resolve('@hydra/explainer/dist/main.js'),
      'labeler-api': require.resolve('@hydra/labeler-api/dist/main.js'),
    },
    plotType: PLOT,
    thresholds: { Good: 0.5, Bad: 0.5, NoData: 0.5 },
    classifierReplicas: 2,
    store: options.store,
  });
  let labeler: Labeler | undefined;
  try {
    const url = loop.services['labeler-api']?.url as string;
    const viewer = await loop.apiToken('soak-viewer', 'viewer');
    const processes = serviceProcesses(loop);
    const verdicts = new Verdicts(loop);
    const samples: Sample[] = [];
    const sample = async (at: string) => {
      const rss = await Promise.all(processes.map(async ([name, pid]) => [name, await residentBytes(pid)]));
      const taken: Sample = {
        at,
        rssBytes: Object.fromEntries(rss.filter(([, bytes]) => bytes !== undefined)),
        lag: await consumerLag(url, viewer),
      };
      samples.push(taken);
      return taken;
    };
    await sample('minute 0');

    const folder = new WatchedFolder(loop.watchDir, PLOT);
    const written: WrittenPlot[] = [];
    console.log(`soak: ${options.rate} images/s for ${options.minutes} min`);
    const startedAtIso = new Date().toISOString();
    const startedAt = performance.now();
    labeler = new Labeler(url, await loop.apiToken('soak-labeler', 'admin'), verdicts);
    const minutes = (async () => {
      for (let minute = 1; minute <= Math.ceil(options.minutes); minute++) {
        await sleepUntil(startedAt + minute * 60_000);
        const taken = await sample(`minute ${minute}`);
        const [row] = latencyPerMinute(
          written.map(({ sha256, writtenAt }) => ({
            writtenAt,
            verdictAt: verdicts.update().verdictOf(sha256),
          })),
          startedAt + (minute - 1) * 60_000,
          1,
        );
        console.log(
          `  minute ${minute}: ${row?.judged}/${row?.sent} judged, p50 ${row?.p50Ms.toFixed(0)} ms, p99 ${row?.p99Ms.toFixed(0)} ms, lag ${totalLag(taken)}`,
        );
      }
    })();
    // Awaited after the writing; until then a failed sample must not end the process unhandled.
    minutes.catch(() => undefined);
    for (const [position, bytes] of plots.entries()) {
      await sleepUntil(startedAt + (position * 1000) / options.rate);
      written.push(await folder.write(bytes));
    }
    const lastWrittenAt = performance.now();
    await labeler.stop();
    await minutes;

    let drainedAfterS: number | null = null;
    let lag = await consumerLag(url, viewer);
    for (const deadline = lastWrittenAt + options.drainS * 1000; performance.now() < deadline;) {
      verdicts.update();
      const judgedAll = written.every(({ sha256 }) => verdicts.verdictOf(sha256) !== undefined);
      lag = await consumerLag(url, viewer);
      if (judgedAll && Object.values(lag).every((value) => value === 0)) {
        drainedAfterS = (performance.now() - lastWrittenAt) / 1000;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await sample(drainedAfterS === null ? 'end' : 'drained');

    verdicts.update();
    const images = written.map(({ sha256, writtenAt }) => ({
      writtenAt,
      verdictAt: verdicts.verdictOf(sha256),
    }));
    const judged = images.filter(({ verdictAt }) => verdictAt !== undefined).length;
    const [{ count: classificationRows }] = (await loop.db.query(
      `SELECT count(DISTINCT c.image_id)::int AS count
         FROM classification c JOIN image i ON i.id = c.image_id WHERE i.sha256 = ANY($1)`,
      [written.map(({ sha256 }) => sha256)],
    )) as [{ count: number }];
    const labels = await labelBatches(loop, labeler);
    const results: SoakResults = {
      options: {
        minutes: options.minutes,
        rate: options.rate,
        labelEveryS: options.labelEveryS,
        store: options.store,
        drainS: options.drainS,
      },
      startedAt: startedAtIso,
      services: processes.map(([name]) => name),
      sent: written.length,
      judged,
      classificationRows,
      lost: written.length - judged,
      drainedAfterS,
      latency: latencyPerMinute(images, startedAt, Math.ceil(options.minutes)),
      samples,
      labels,
    };
    await mkdir(options.out, { recursive: true });
    const markdown = resultsMarkdown(results);
    await Promise.all([
      writeFile(join(options.out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`),
      writeFile(join(options.out, 'results.md'), markdown),
      writeFile(join(options.out, 'latency.svg'), latencyChartSvg(results)),
      writeFile(join(options.out, 'memory.svg'), memoryChartSvg(results)),
    ]);
    console.log(`\n${markdown}\nwritten to ${options.out}`);
    if (results.lost > 0 || drainedAfterS === null || labels.stored < labels.acked) process.exitCode = 1;
  } finally {
    await labeler?.stop();
    await loop.stop();
  }
}

/** The labeler's batches against what `label_batch` and `image_label` hold. */
async function labelBatches(loop: HydraProcesses, labeler: Labeler): Promise<LabelBatches> {
  const acked = labeler.batches.filter((batch) => batch.acked);
  const ids = acked.map(({ batchId }) => batchId);
  const [{ batches, items }] = (await loop.db.query(
    `SELECT (SELECT count(*)::int FROM label_batch WHERE id = ANY($1)) AS batches,
            (SELECT count(*)::int FROM image_label WHERE batch_id = ANY($1)) AS items`,
    [ids],
  )) as [{ batches: number; items: number }];
  const { p50, p99 } = summarize(labeler.batches.map(({ ms }) => ms));
  return {
    sent: labeler.batches.length,
    acked: acked.length,
    stored: batches,
    itemsAcked: acked.reduce((sum, batch) => sum + batch.items, 0),
    itemsStored: items,
    p50Ms: p50,
    p99Ms: p99,
  };
}

main().then(
  () => process.exit(),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
