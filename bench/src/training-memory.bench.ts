/**
 * Peak memory of training as the labeled set grows: simulated plots in a local object store, read
 * and decoded a batch at a time (two ahead) by the trainer's storedExampleSource while hydra-cnn
 * trains a capped number of batches of one epoch over the whole training split, then the whole
 * validation split is evaluated, streamed the same way. Each size runs in a process of its own, so
 * its peak RSS is its own. It calls the trainer's source and trainModel directly (no API, no
 * database); the images are stored once in --folder and reused by later runs.
 *   npm run training-memory --workspace=@hydra/bench -- --sizes 1000,10000,50000 --batches 100
 */
import { fork } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  buildModel,
  DEFAULT_INPUT,
  evaluate,
  initialiseBackend,
  type InputShape,
  stratifiedSplit,
  TrainingCancelledError,
  trainModel,
} from '@hydra/ml';
import { simulateDataset } from '@hydra/simulator';
import { LocalObjectStore } from '@hydra/storage';
import { storedExampleSource } from '@hydra/trainer/dist/dataset/stored-examples';
import { Command } from 'commander';

const options = new Command('training-memory-bench')
  .option('--sizes <list>', 'labeled images per run, comma-separated', '1000,10000,50000')
  .option('--batches <n>', 'training batches per run (of one epoch over the whole split)', Number, 100)
  .option('--batch-size <n>', 'images per batch', Number, 16)
  .option(
    '--folder <path>',
    'where the simulated images are stored (kept for later runs)',
    '/tmp/hydra-training-memory',
  )
  .option('--child <n>', 'internal: run one size in this process')
  .parse()
  .opts<{ sizes: string; batches: number; batchSize: number; folder: string; child?: string }>();

/** The quickest plot type to draw; every image is 400 × 300 like the others. */
const PLOT = 'Trigger_bits';
const LABELS = ['Good', 'Bad', 'NoData'];
const INPUT: InputShape = { ...DEFAULT_INPUT['hydra-cnn'], channels: 3 };
const MB = 1024 * 1024;

interface RunResult {
  backend: string;
  images: number;
  trainImages: number;
  validationImages: number;
  batches: number;
  /** RSS once the model is built and the references are in memory, before any image is read. */
  readyMb: number;
  peakMb: number;
  trainSeconds: number;
  evaluateSeconds: number;
}

const storeIn = (folder: string) =>
  new LocalObjectStore({ root: folder, signingSecret: 'bench', publicBaseUrl: 'http://127.0.0.1/objects' });
const keyOf = (index: number) => `images/${index}.png`;
const labelsFile = (folder: string) => join(folder, 'labels.json');

/** The labels of `count` stored images, simulating and storing the ones missing (two drawers at once). */
async function storedLabels(folder: string, count: number): Promise<string[]> {
  const existing: string[] = await readFile(labelsFile(folder), 'utf8').then(JSON.parse, () => []);
  if (existing.length >= count) return existing;
  await mkdir(folder, { recursive: true });
  const store = storeIn(folder);
  const labels = [...existing];
  const started = performance.now();
  const draw = async (first: number, end: number) => {
    let index = first;
    // Each image's seed depends on its position only, so a resumed store draws the same plots.
    for await (const plot of simulateDataset({
      plotType: PLOT,
      count: end - first,
      seed: 7_000_000 + first,
    })) {
      await store.put(keyOf(index), plot.png);
      labels[index++] = plot.label;
    }
  };
  const middle = existing.length + Math.ceil((count - existing.length) / 2);
  await Promise.all([draw(existing.length, middle), draw(middle, count)]);
  await writeFile(labelsFile(folder), JSON.stringify(labels));
  console.log(
    `${count - existing.length} simulated ${PLOT} plots stored in ${folder} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return labels;
}

/** One size: stream-train `batches` batches and evaluate the validation split; returns the peak RSS. */
async function runOne(size: number): Promise<RunResult> {
  const backend = await initialiseBackend();
  const names = JSON.parse(await readFile(labelsFile(options.folder), 'utf8')) as string[];
  const labels = names.slice(0, size).map((name) => LABELS.indexOf(name));
  const splits = stratifiedSplit(labels, { validation: 0.15, test: 0.15 }, 1);
  const store = storeIn(options.folder);
  const part = (split: string) => {
    const indices = labels.map((_, index) => index).filter((index) => splits[index] === split);
    const examples = {
      keys: indices.map(keyOf),
      labels: indices.map((index) => labels[index] as number),
    };
    return storedExampleSource(store, examples, INPUT, []);
  };
  const [train, validation] = [part('train'), part('validation')];
  const { model } = buildModel({ architecture: 'hydra-cnn', input: INPUT, classes: LABELS.length, seed: 1 });
  const readyMb = process.memoryUsage.rss() / MB;
  const stop = new AbortController();
  let trained = 0;
  let started = performance.now();
  try {
    await trainModel(model, train, validation, {
      epochs: 1,
      batchSize: options.batchSize,
      learningRate: 1e-3,
      optimizer: 'adam',
      balancing: 'resample',
      referenceClass: LABELS.indexOf('Bad'),
      seed: 1,
      signal: stop.signal,
      onBatch: () => {
        if (++trained >= options.batches) stop.abort();
      },
    });
  } catch (error) {
    // The cap on batches is reached by cancelling, as a person would.
    if (!(error instanceof TrainingCancelledError)) throw error;
  }
  const trainSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await evaluate(model, validation, LABELS.length);
  const evaluateSeconds = (performance.now() - started) / 1000;
  model.dispose();
  return {
    backend,
    images: size,
    trainImages: train.labels.length,
    validationImages: validation.labels.length,
    batches: trained,
    readyMb,
    // maxRSS is in kilobytes.
    peakMb: (process.resourceUsage().maxRSS * 1024) / MB,
    trainSeconds,
    evaluateSeconds,
  };
}

function inChildProcess(size: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [
      '--child',
      String(size),
      '--folder',
      options.folder,
      '--batches',
      String(options.batches),
      '--batch-size',
      String(options.batchSize),
    ]);
    let result: RunResult | undefined;
    child.on('message', (message) => (result = message as RunResult));
    child.on('error', reject);
    child.on('exit', (code) =>
      result
        ? resolve(result)
        : reject(new Error(`the run on ${size} images ended (exit code ${code}) without a result`)),
    );
  });
}

async function main() {
  if (options.child) {
    process.send?.(await runOne(Number(options.child)));
    return;
  }
  const sizes = options.sizes.split(',').map(Number);
  await storedLabels(options.folder, Math.max(...sizes));
  const inputBytes = INPUT.height * INPUT.width * INPUT.channels * 4;
  const rows = [];
  let backend = '';
  for (const size of sizes) {
    const run = await inChildProcess(size);
    backend = run.backend;
    rows.push({
      images: run.images,
      'train / validation': `${run.trainImages} / ${run.validationImages}`,
      'batches trained': `${run.batches} × ${options.batchSize}`,
      'RSS ready (MB)': run.readyMb.toFixed(0),
      'peak RSS (MB)': run.peakMb.toFixed(0),
      'train s': run.trainSeconds.toFixed(1),
      'evaluate validation s': run.evaluateSeconds.toFixed(1),
      // What the earlier trainer held before its first step: every image decoded.
      'all decoded up front (MB)': ((run.images * inputBytes) / MB).toFixed(0),
    });
    console.log(`${size} images: peak RSS ${run.peakMb.toFixed(0)} MB`);
  }
  console.log(`\nhydra-cnn ${INPUT.height}×${INPUT.width}, ${PLOT} plots (400×300 PNG), ${backend} backend`);
  console.table(rows);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
