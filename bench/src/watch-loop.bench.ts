/**
 * The watch loop end to end, each service in its own process on PostgreSQL, NATS and S3 (a local
 * Ceph gateway): file lands → image.classified, at paced rates; verdict → heat map; and classifier
 * throughput with 1 and 2 replicas.
 *   npm run bench:watch-loop -- --rates 1,10,50 --duration 60 --backlog 500
 */
import { waitFor } from '@hydra/messaging/testing';
import { startHydraProcesses, type HydraProcesses } from '@hydra/testing';
import { Command } from 'commander';
import { summarize } from './stats';
import { simulatedPlots, WatchedFolder } from './watched-folder';

const options = new Command('watch-loop-bench')
  .option(
    '--rates <list>',
    'images/s of the paced runs',
    (value) => value.split(',').map(Number),
    [1, 10, 50],
  )
  .option('--duration <s>', 'seconds each paced run lasts', Number, 60)
  .option('--backlog <n>', 'images waiting when the classifier replicas start', Number, 500)
  .option('--store <kind>', 's3 (a local Ceph gateway) or local (a folder, as on one machine)', 's3')
  .parse()
  .opts<{ rates: number[]; duration: number; backlog: number; store: 's3' | 'local' }>();

const PLOT = 'FCAL_occupancy';
let folder: WatchedFolder;

function index(loop: HydraProcesses) {
  const imageBySha = new Map(loop.events.of('image.new').map((event) => [event.sha256, event.imageId]));
  const at = (subject: string) =>
    new Map(
      loop.events.events
        .filter((event) => event.subject === subject)
        .map((event) => [event.data.imageId as string, { time: event.receivedAt, data: event.data }]),
    );
  return {
    imageBySha,
    announced: at('image.new'),
    classified: at('image.classified'),
    explained: at('image.explained'),
  };
}

async function pacedRun(loop: HydraProcesses, rate: number) {
  const images = await simulatedPlots(PLOT, Math.round(rate * options.duration));
  const written: { sha256: string; writtenAt: number }[] = [];
  const start = performance.now();
  for (const [position, bytes] of images.entries()) {
    const due = start + (position * 1000) / rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    written.push(await folder.write(bytes));
  }
  const missing = () => {
    const { imageBySha, classified } = index(loop);
    return written.filter(({ sha256 }) => !classified.has(imageBySha.get(sha256) as string));
  };
  // A rate the machine cannot keep up with is reported with what was judged after a grace period.
  await waitFor(() => missing().length === 0, `every verdict at ${rate}/s`, 60_000).catch(() => undefined);
  const unjudged = missing().length;
  const { imageBySha, announced, classified, explained } = index(loop);
  const timeOf = (events: typeof classified, sha256: string) =>
    events.get(imageBySha.get(sha256) as string)?.time as number;
  const judged = written.filter(({ sha256 }) => classified.has(imageBySha.get(sha256) as string));
  const latencies = judged.map(({ sha256, writtenAt }) => timeOf(classified, sha256) - writtenAt);
  const ingest = judged.map(({ sha256, writtenAt }) => timeOf(announced, sha256) - writtenAt);
  const heatMaps = written.flatMap(({ sha256 }) => {
    const imageId = imageBySha.get(sha256) as string;
    const heatMap = explained.get(imageId);
    return heatMap ? [heatMap.time - (classified.get(imageId)?.time as number)] : [];
  });
  return {
    rate,
    images: written.length,
    unjudged,
    ingest: summarize(ingest),
    verdict: summarize(latencies),
    heatMap: summarize(heatMaps),
  };
}

async function backlogRun(loop: HydraProcesses, replicas: number) {
  await Promise.all(loop.classifiers.splice(0).map((classifier) => classifier.stop()));
  const before = loop.events.of('image.new').length;
  const images = await simulatedPlots(PLOT, options.backlog);
  for (const bytes of images) await folder.write(bytes);
  await waitFor(() => loop.events.of('image.new').length >= before + images.length, 'ingest', 600_000);
  const firstNew = loop.events.events.length;
  await Promise.all(Array.from({ length: replicas }, () => loop.start('classifier')));
  const verdicts = () =>
    loop.events.events.slice(firstNew).filter((event) => event.subject === 'image.classified');
  await waitFor(() => verdicts().length >= images.length, `the backlog with ${replicas} replicas`, 300_000);
  const times = verdicts().map((event) => event.receivedAt);
  const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
  return { replicas, images: images.length, imagesPerSecond: (images.length - 1) / seconds };
}

async function main() {
  console.log(
    `starting a database, the ${options.store} object store, ingest, classifier and explainer processes…`,
  );
  const loop = await startHydraProcesses({
    scripts: {
      ingest: require.resolve('@hydra/ingest/dist/main.js'),
      classifier: require.resolve('@hydra/classifier/dist/main.js'),
      explainer: require.resolve('@hydra/explainer/dist/main.js'),
    },
    plotType: PLOT,
    thresholds: { Good: 0.5, Bad: 0.5, NoData: 0.5 },
    store: options.store,
  });
  folder = new WatchedFolder(loop.watchDir, PLOT);
  try {
    const paced = [];
    for (const rate of options.rates) {
      console.log(`paced run: ${rate} images/s for ${options.duration} s`);
      const run = await pacedRun(loop, rate);
      paced.push(run);
      console.log(`  ${JSON.stringify(run)}`);
    }
    const backlog = [];
    for (const replicas of [1, 2]) {
      console.log(`backlog run: ${options.backlog} images, ${replicas} classifier replica(s)`);
      const run = await backlogRun(loop, replicas);
      backlog.push(run);
      console.log(`  ${JSON.stringify(run)}`);
    }
    console.log(
      '\nfile lands → image.new and → image.classified; confirmed Bad verdict → image.explained (ms)',
    );
    console.log(
      '| images/s | images | unjudged after 60 s | image.new p50 | verdict p50 | verdict p99 | heat map p50 | heat map p99 |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const run of paced) {
      console.log(
        `| ${run.rate} | ${run.images} | ${run.unjudged} | ${run.ingest.p50.toFixed(1)} | ${run.verdict.p50.toFixed(1)} | ${run.verdict.p99.toFixed(1)} | ${run.heatMap.p50.toFixed(1)} | ${run.heatMap.p99.toFixed(1)} |`,
      );
    }
    console.log('\nclassifier throughput on a waiting backlog');
    console.log('| replicas | images | images/s |');
    console.log('| --- | --- | --- |');
    for (const run of backlog)
      console.log(`| ${run.replicas} | ${run.images} | ${run.imagesPerSecond.toFixed(0)} |`);
  } finally {
    await loop.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
