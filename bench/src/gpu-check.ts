/**
 * The webgpu check for a GPU machine: Hydra's gradient kernels against the cpu reference on the
 * GPU, then one training step per architecture (ms/image) on the backend that starts there.
 * `bash bench/gpu/pack.sh` bundles it with Node.js and Dawn into `.gpu-check/` (the GPU machine has
 * neither); there, `bash .gpu-check/run.sh`. Here it runs on Mesa's lavapipe: `npm run gpu-check -w @hydra/bench`.
 */
import { hydraCnn, inceptionV3, initialiseBackend, mobileNetV2 } from '@hydra/ml';
import { CONV_GRADIENT_CHECKS, runConvGradientCheck } from '@hydra/ml/testing';
import * as tf from '@tensorflow/tfjs';
import { time, trainingStep } from './model-timing';

const shape = (height: number, width: number) => ({ height, width, channels: 3 as const });
const ARCHITECTURES: [string, () => tf.LayersModel, number][] = [
  ['hydra-cnn 72×96', () => hydraCnn({ input: shape(72, 96), classes: 3, seed: 1 }), 16],
  ['hydra-cnn 72×96', () => hydraCnn({ input: shape(72, 96), classes: 3, seed: 1 }), 64],
  ['mobilenet-v2 α1.0 224×224', () => mobileNetV2({ input: shape(224, 224), classes: 3, seed: 1 }), 16],
  ['inception-v3 299×299', () => inceptionV3({ input: shape(299, 299), classes: 3, seed: 1 }), 16],
];

async function main() {
  const backend = await initialiseBackend();
  console.log(`backend: ${backend}`);
  let worst = 0;
  for (const [label, check] of CONV_GRADIENT_CHECKS) {
    const { shape: actual, expectedShape, maxAbsDifference } = await runConvGradientCheck(check);
    const failed = actual.join() !== expectedShape.join() || !(maxAbsDifference < 1e-4);
    if (failed)
      console.log(`FAILED ${label}: shape ${actual} (want ${expectedShape}), max |Δ| ${maxAbsDifference}`);
    worst = Math.max(worst, maxAbsDifference);
  }
  console.log(
    `${CONV_GRADIENT_CHECKS.length} gradient checks, largest difference from cpu ${worst.toExponential(2)}`,
  );
  const rows = [];
  for (const [label, build, batch] of ARCHITECTURES) {
    const model = build();
    const training = trainingStep(model, batch);
    rows.push({
      model: label,
      batch,
      backend,
      'train ms/img': (await time(`${label} b${batch}`, training.step, 5)) / batch,
    });
    training.dispose();
    model.dispose();
  }
  console.table(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
