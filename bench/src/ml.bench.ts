/**
 * Model speed on this machine: inference (tfjs and ONNX Runtime, batch 1 and 32), one training
 * step, and Grad-CAM, per architecture and input size.
 *   npm run bench:ml -- --repeats 20
 */
import {
  exportToOnnx,
  gradCam,
  HYDRA_CNN_GRADCAM_LAYER,
  hydraCnn,
  initialiseBackend,
  type InputShape,
  OnnxClassifier,
} from '@hydra/ml';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { summarize } from './stats';

const options = new Command('ml-bench')
  .option('--repeats <n>', 'timed repetitions per measurement', (value) => Number(value), 20)
  .parse()
  .opts<{ repeats: number }>();

/** Median milliseconds of `repeats` runs after two warm-up runs. */
async function time(run: () => unknown | Promise<unknown>): Promise<number> {
  for (let warmUp = 0; warmUp < 2; warmUp++) await run();
  const samples: number[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const started = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return summarize(samples).p50;
}

async function measure(input: InputShape) {
  const label = `hydra-cnn ${input.height}×${input.width}`;
  process.stderr.write(`  ${label}…\n`);
  const model = hydraCnn({ input, classes: 3, seed: 1 });
  const size = input.height * input.width * input.channels;
  const images = Array.from(
    { length: 32 },
    (_, index) => tf.randomUniform([size], 0, 1, 'float32', index).dataSync() as Float32Array,
  );
  const tfjsBatch = (count: number) => () =>
    tf.tidy(() =>
      (
        model.predict(
          tf.tensor4d(Float32Array.from(images.slice(0, count).flatMap((image) => Array.from(image))), [
            count,
            input.height,
            input.width,
            input.channels,
          ]),
        ) as tf.Tensor
      ).dataSync(),
    );
  const onnx = await OnnxClassifier.load(exportToOnnx(model), input, { threads: 2 });
  const optimizer = tf.train.adam(1e-3);
  const trainingBatch = tf.randomUniform([16, input.height, input.width, input.channels]);
  const targets = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: 16 }, (_, index) => index % 3),
      'int32',
    ),
    3,
  );
  const step = () =>
    tf.tidy(() => {
      optimizer.minimize(
        () =>
          tf.losses.softmaxCrossEntropy(
            targets,
            model.apply(trainingBatch, { training: true }) as tf.Tensor,
          ) as tf.Scalar,
      );
    });
  const row = {
    model: label,
    'tfjs b1 ms/img': await time(tfjsBatch(1)),
    'tfjs b32 ms/img': (await time(tfjsBatch(32))) / 32,
    'onnx b1 ms/img': await time(() => onnx.predict(images.slice(0, 1))),
    'onnx b32 ms/img': (await time(() => onnx.predict(images))) / 32,
    'train ms/img': (await time(step)) / 16,
    'grad-cam ms/img': await time(() =>
      gradCam(model, images[0] as Float32Array, input, HYDRA_CNN_GRADCAM_LAYER()),
    ),
  };
  await onnx.dispose();
  tf.dispose([model, optimizer, trainingBatch, targets] as never);
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      typeof value === 'number' ? Number(value.toFixed(2)) : value,
    ]),
  );
}

async function main() {
  const backend = await initialiseBackend();
  const rows = [];
  for (const input of [
    { height: 72, width: 96, channels: 3 },
    { height: 96, width: 128, channels: 3 },
  ] as InputShape[]) {
    rows.push(await measure(input));
  }
  console.log(
    `\nModel speed, tfjs backend "${backend}", ONNX Runtime on 2 threads, median of ${options.repeats} runs`,
  );
  console.table(rows);
}

void main();
