/**
 * The labeler's API path: a label batch of 100 items, and a queue page of 100 with its thumbnails
 * (fetched six at a time, as a browser does over HTTP/1.1), cold (thumbnails made now) and warm.
 * labeler-api runs in this process on its own scratch database and object store.
 *   npm run bench:labeling-api -- --images 1000 --batches 200
 */
import { randomUUID } from 'node:crypto';
import { Image } from '@hydra/db';
import { createLabelerApiApp, labelerApiConfigFromEnv } from '@hydra/labeler-api';
import { simulateDataset } from '@hydra/simulator';
import { createApiToken, startServiceTestBed, storeImage } from '@hydra/testing';
import { Command } from 'commander';
import { summarize } from './stats';

const PLOT = 'FCAL_occupancy';
const options = new Command('labeling-api-bench')
  .option('--images <n>', 'kept, unlabeled images in the queue', Number, 1000)
  .option('--batches <n>', 'timed label batches of 100', Number, 200)
  .parse()
  .opts<{ images: number; batches: number }>();

const ms = (start: number) => performance.now() - start;
const format = (values: number[]) => {
  const { p50, p99, max } = summarize(values);
  return `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms (${values.length})`;
};

async function main() {
  const bed = await startServiceTestBed('hydra_bench_labeling');
  try {
    const config = labelerApiConfigFromEnv({
      DATABASE_URL: bed.databaseUrl,
      HYDRA_ADMIN_PASSWORD: randomUUID(),
    });
    const app = await createLabelerApiApp(config, bed.connections(bed.store));
    const { url } = await bed.serve(app, 'label.added');
    const token = await createApiToken(bed.db, 'bench', 'admin');
    const call = async (path: string, init: RequestInit = {}) => {
      const response = await fetch(`${url}/api${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response;
    };

    console.log(`storing ${options.images} simulated plots…`);
    const ids: string[] = [];
    for await (const plot of simulateDataset({ plotType: PLOT, count: options.images, seed: 11 })) {
      const image = await storeImage(bed.db, bed.store, plot, PLOT, plot.png);
      ids.push(image.id);
    }
    await bed.db.getRepository(Image).update({ plotType: PLOT }, { keep: true, keepReason: 'sample' });

    const pages = async (label: string) => {
      const times: number[] = [];
      let cursor: string | null = null;
      do {
        const start = performance.now();
        const query = `/plot-types/${PLOT}/queue?order=newest&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
        const page = (await (await call(query)).json()) as {
          items: { thumbnailUrl: string }[];
          nextCursor: string | null;
        };
        const queue = [...page.items];
        await Promise.all(
          Array.from({ length: 6 }, async () => {
            for (let item = queue.shift(); item; item = queue.shift())
              await (
                await fetch(`${url}${item.thumbnailUrl}`, { headers: { authorization: `Bearer ${token}` } })
              ).arrayBuffer();
          }),
        );
        times.push(ms(start));
        cursor = page.nextCursor;
      } while (cursor);
      console.log(`queue page of 100 + thumbnails, ${label}: ${format(times)}`);
    };
    await pages('cold');
    await pages('warm');

    const batchTimes: number[] = [];
    for (let index = 0; index < options.batches; index++) {
      const offset = (index * 100) % Math.max(ids.length - 100, 1);
      const items = ids
        .slice(offset, offset + 100)
        .map((imageId) => ({ imageId, label: index % 2 ? 'Good' : 'Bad' }));
      const start = performance.now();
      await call(`/plot-types/${PLOT}/labels`, {
        method: 'POST',
        body: JSON.stringify({ batchId: randomUUID(), items }),
      });
      batchTimes.push(ms(start));
    }
    console.log(`label batch of 100 items: ${format(batchTimes)}`);
  } finally {
    await bed.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
