import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateDataset } from '@hydra/simulator';
import { LocalObjectStore, type ObjectStore } from '@hydra/storage';
import * as tf from '@tensorflow/tfjs';
import { type ModelManifest, saveModelArtifacts } from '../artifacts/model-artifacts';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { defaultHeatExemplars } from '../explain/heat-map-method';
import { exportForServing } from '../inference/serving-exports';
import { HYDRA_CNN_GRADCAM_LAYER, hydraCnn } from '../models/hydra-cnn';
import { imageToInput, type InputShape } from '../preprocessing/image-input';
import { type Examples, trainModel } from '../training/train-model';
import { maxF1Thresholds } from '../validation/thresholds';
import { validationReport } from '../validation/validation-report';

/** A small but honest model for service tests: hydra-cnn trained on simulated FCAL occupancy maps. */
export const TEST_MODEL = {
  plotType: 'FCAL_occupancy',
  labels: ['Good', 'Bad', 'NoData'],
  input: { height: 60, width: 80, channels: 3 } satisfies InputShape,
  trainCount: 240,
  validationCount: 60,
  epochs: 8,
} as const;

export interface TestModel {
  manifest: ModelManifest;
  /** Max-F1 confirmation thresholds on the validation images. */
  thresholds: Record<string, number>;
  validationAccuracy: number;
}

const CACHE_FILE = 'test-model.json';
/** Raised whenever what is cached changes shape, so no machine reuses an older cache. */
const CACHE_VERSION = 7;

/**
 * Puts the test model's artifacts under `prefix` in `store`. It is trained once per machine (about
 * a minute on two cores) and cached in the temp folder, so every test file after the first copies it.
 */
export async function provideTestModel(store: ObjectStore, prefix: string): Promise<TestModel> {
  const key = createHash('sha256')
    .update(JSON.stringify({ ...TEST_MODEL, CACHE_VERSION, tfjs: tf.version.tfjs }))
    .digest('hex');
  const cacheRoot = join(tmpdir(), `hydra-test-model-${key.slice(0, 12)}`);
  const model = (await readCache(cacheRoot)) ?? (await trainOnce(cacheRoot));
  const cache = localStore(cacheRoot);
  for await (const object of cache.list('model/')) {
    await store.put(
      `${prefix.replace(/\/$/, '')}/${object.key.slice('model/'.length)}`,
      await cache.get(object.key),
    );
  }
  return model;
}

function readCache(cacheRoot: string): Promise<TestModel | null> {
  return readFile(join(cacheRoot, CACHE_FILE), 'utf8').then(
    (text) => JSON.parse(text) as TestModel,
    () => null,
  );
}

/** One test process trains; the others (parallel Jest workers) wait for its cache. */
async function trainOnce(cacheRoot: string): Promise<TestModel> {
  const lock = `${cacheRoot}.lock`;
  const locked = await mkdir(lock).then(
    () => true,
    () => false,
  );
  if (locked) {
    try {
      await writeFile(join(lock, 'pid'), String(process.pid));
      return await trainAndCache(cacheRoot);
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const cached = await readCache(cacheRoot);
    if (cached) return cached;
    // The trainer gave up or died (a killed run leaves its lock behind): train here instead.
    if (!(await stat(lock).catch(() => null))) return trainOnce(cacheRoot);
    if (!(await holderAlive(lock))) {
      await rm(lock, { recursive: true, force: true });
      return trainOnce(cacheRoot);
    }
  }
  throw new Error(`no test model appeared in ${cacheRoot} within 10 minutes`);
}

/** Whether the process that took `lock` still runs; a lock it has not yet signed counts as held. */
async function holderAlive(lock: string): Promise<boolean> {
  const pid = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => ''));
  if (!pid) {
    const taken = (await stat(lock).catch(() => null))?.mtimeMs ?? 0;
    return Date.now() - taken < 60_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function localStore(root: string): LocalObjectStore {
  return new LocalObjectStore({
    root,
    signingSecret: 'hydra-test-model-cache',
    publicBaseUrl: 'http://127.0.0.1',
  });
}

async function examples(seed: number, count: number): Promise<Examples> {
  const result: Examples = { inputs: [], labels: [] };
  for await (const plot of simulateDataset({ plotType: TEST_MODEL.plotType, count, seed })) {
    result.inputs.push(await imageToInput(plot.png, TEST_MODEL.input));
    result.labels.push(TEST_MODEL.labels.indexOf(plot.label));
  }
  return result;
}

async function trainAndCache(cacheRoot: string): Promise<TestModel> {
  await initialiseBackend();
  const [train, validation] = await Promise.all([
    examples(101, TEST_MODEL.trainCount),
    examples(102, TEST_MODEL.validationCount),
  ]);
  const labels = [...TEST_MODEL.labels];
  const model = hydraCnn({ input: TEST_MODEL.input, classes: labels.length, seed: 3 });
  await trainModel(model, train, validation, {
    epochs: TEST_MODEL.epochs,
    batchSize: 16,
    learningRate: 3e-3,
    optimizer: 'adam',
    balancing: 'resample',
    referenceClass: 1,
    earlyStopping: { patience: 4, minDelta: 0.005 },
  });
  const probabilities = tf.tidy(() => {
    const batch = tf.stack(
      validation.inputs.map((input) =>
        tf.tensor3d(input, [TEST_MODEL.input.height, TEST_MODEL.input.width, TEST_MODEL.input.channels]),
      ),
    );
    return (model.predict(batch) as tf.Tensor).arraySync() as number[][];
  });
  const report = validationReport(labels, validation.labels, probabilities);
  const thresholds = Object.fromEntries(
    Object.entries(maxF1Thresholds(labels, validation.labels, probabilities)).map(
      ([label, { threshold }]) => [label, threshold],
    ),
  );
  // Both ONNX models are kept; float32 serves unless a test asks for int8, whichever was faster here.
  const onnxModels = await exportForServing(model, TEST_MODEL.input, {
    calibration: train.inputs,
    check: validation.inputs,
  });
  // Written beside the final folder and renamed into place, so a parallel test file never sees half a cache.
  const staging = await mkdtemp(`${cacheRoot}-staging-`);
  const manifest = await saveModelArtifacts(
    localStore(staging),
    'model/',
    model,
    {
      architecture: 'hydra-cnn',
      labels,
      input: TEST_MODEL.input,
      gradCamLayer: HYDRA_CNN_GRADCAM_LAYER(),
      heatExemplars: await defaultHeatExemplars(labels, train, TEST_MODEL.input),
    },
    { ...onnxModels, serving: 'float32' },
  );
  model.dispose();
  const result: TestModel = { manifest, thresholds, validationAccuracy: report.accuracy };
  await writeFile(join(staging, CACHE_FILE), JSON.stringify(result));
  await rename(staging, cacheRoot).catch(() => rm(staging, { recursive: true, force: true }));
  return result;
}
