/**
 * Model speed on this machine: inference (tfjs, ONNX Runtime in float32 and int8, batch 1 and 32), one training
 * step, and Grad-CAM, per architecture and input size.
 *   npm run bench:ml -- --repeats 20
 */
import {
  calibrate,
  exportToOnnx,
  gradCam,
  HYDRA_CNN_GRADCAM_LAYER,
  hydraCnn,
  INCEPTION_V3_GRADCAM_LAYER,
  inceptionV3,
  initialiseBackend,
  type InputShape,
  MOBILENET_V2_GRADCAM_LAYER,
  mobileNetV2,
  OnnxClassifier,
  quantizeOnnx,
} from '@hydra/ml';
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { time, trainingStep } from './model-timing';

const options = new Command('ml-bench')
  .option(
    '--repeats <n>',
    'timed repetitions per measurement for hydra-cnn (the large models get a fifth)',
    (value) => Number(value),
    20,
  )
  .option(
    '--only <name>',
    'architectures whose name starts with this: hydra-cnn, mobilenet-v2 or inception-v3',
  )
  .option(
    '--candidate <index>',
    'measure one candidate in this process and print it as JSON (used internally)',
  )
  .parse()
  .opts<{ repeats: number; only?: string; candidate?: string }>();

interface Candidate {
  name: string;
  build: () => tf.LayersModel;
  input: InputShape;
  gradCamLayer: string;
  /** Training batch: the wasm heap is capped at 4 GiB. */
  trainBatch: number;
  repeats: number;
}

/** A model to measure; the large ones train at batch 4 (the wasm heap) and get a fifth of the repeats. */
function candidate(
  name: string,
  height: number,
  width: number,
  gradCamLayer: string,
  build: (input: InputShape) => tf.LayersModel,
  large = false,
): Candidate {
  const input: InputShape = { height, width, channels: 3 };
  return {
    name,
    input,
    gradCamLayer,
    build: () => build(input),
    trainBatch: large ? 4 : 16,
    repeats: large ? Math.max(2, Math.round(options.repeats / 5)) : options.repeats,
  };
}

const CANDIDATES: Candidate[] = [
  candidate('hydra-cnn', 72, 96, HYDRA_CNN_GRADCAM_LAYER(), (input) =>
    hydraCnn({ input, classes: 3, seed: 1 }),
  ),
  candidate('hydra-cnn', 96, 128, HYDRA_CNN_GRADCAM_LAYER(), (input) =>
    hydraCnn({ input, classes: 3, seed: 1 }),
  ),
  candidate(
    'mobilenet-v2 α1.0',
    224,
    224,
    MOBILENET_V2_GRADCAM_LAYER,
    (input) => mobileNetV2({ input, classes: 3, seed: 1 }),
    true,
  ),
  candidate(
    'inception-v3',
    299,
    299,
    INCEPTION_V3_GRADCAM_LAYER,
    (input) => inceptionV3({ input, classes: 3, seed: 1 }),
    true,
  ),
];

async function measure({ name, build, input, gradCamLayer, trainBatch, repeats }: Candidate) {
  const label = `${name} ${input.height}×${input.width}`;
  process.stderr.write(`  ${label}…\n`);
  const model = build();
  const size = input.height * input.width * input.channels;
  const images = Array.from({ length: 32 }, () => Float32Array.from({ length: size }, () => Math.random()));
  // Every measurement ends with a read: a GPU backend only queues work until then.
  const tfjsBatch = (count: number) => async () => {
    const probabilities = tf.tidy(
      () =>
        model.predict(
          tf.tensor4d(Float32Array.from(images.slice(0, count).flatMap((image) => Array.from(image))), [
            count,
            input.height,
            input.width,
            input.channels,
          ]),
        ) as tf.Tensor,
    );
    await probabilities.data();
    probabilities.dispose();
  };
  const floatOnnx = await exportToOnnx(model);
  const onnx = await OnnxClassifier.load(floatOnnx, input, { threads: 2 });
  const training = trainingStep(model, trainBatch);
  const row = {
    model: label,
    // Training first: after large inference batches the 4 GiB wasm heap is too fragmented for it.
    'train ms/img': (await time('train ms/img', training.step, repeats)) / trainBatch,
    'grad-cam ms/img': await time(
      'grad-cam ms/img',
      () => gradCam(model, images[0] as Float32Array, input, gradCamLayer),
      repeats,
    ),
    'tfjs b1 ms/img': await time('tfjs b1 ms/img', tfjsBatch(1), repeats),
    'tfjs b32 ms/img': (await time('tfjs b32 ms/img', tfjsBatch(32), repeats)) / 32,
    'onnx b1 ms/img': await time('onnx b1 ms/img', () => onnx.predict(images.slice(0, 1)), repeats),
    'onnx b32 ms/img': (await time('onnx b32 ms/img', () => onnx.predict(images), repeats)) / 32,
  };
  // Calibrated after the tfjs measurements, which it would otherwise crowd out of the wasm heap.
  const int8 = await OnnxClassifier.load(
    quantizeOnnx(floatOnnx, await calibrate(model, images, input)),
    input,
    {
      threads: 2,
    },
  );
  const int8Row = {
    'int8 b1 ms/img': await time('int8 b1 ms/img', () => int8.predict(images.slice(0, 1)), repeats),
    'int8 b32 ms/img': (await time('int8 b32 ms/img', () => int8.predict(images), repeats)) / 32,
  };
  await Promise.all([onnx.dispose(), int8.dispose()]);
  training.dispose();
  model.dispose();
  return Object.fromEntries(
    Object.entries({ ...row, ...int8Row }).map(([key, value]) => [
      key,
      typeof value === 'number' ? Number(value.toFixed(2)) : value,
    ]),
  );
}

/**
 * Each architecture is measured in a process of its own: the wasm heap (at most 4 GiB) never
 * shrinks, and after one large model it is too fragmented to train the next.
 */
async function main() {
  if (options.candidate !== undefined) {
    const backend = await initialiseBackend();
    const row = await measure(CANDIDATES[Number(options.candidate)] as Candidate);
    console.log(`ROW ${JSON.stringify({ ...row, backend })}`);
    return;
  }
  const rows = [];
  for (const [index, candidate] of CANDIDATES.entries()) {
    if (options.only && !candidate.name.startsWith(options.only)) continue;
    const child = spawnSync(
      process.execPath,
      [__filename, '--candidate', String(index), '--repeats', String(options.repeats)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        encoding: 'utf8',
      },
    );
    const line = child.stdout.split('\n').find((text) => text.startsWith('ROW '));
    rows.push(
      line
        ? JSON.parse(line.slice(4))
        : {
            model: `${candidate.name} ${candidate.input.height}×${candidate.input.width}`,
            error: `exit ${child.status ?? child.signal}`,
          },
    );
  }
  console.log(
    '\nModel speed (tfjs on the backend shown; HYDRA_TF_BACKEND forces one), ONNX Runtime on 2 threads; training batch 16 (hydra-cnn) or 4 (others); medians',
  );
  console.table(rows);
}

void main();
