import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { gradCam } from '../explain/grad-cam';
import type { InputShape } from '../preprocessing/image-input';
import { HYDRA_CNN_GRADCAM_LAYER, hydraCnn } from './hydra-cnn';
import { INCEPTION_V3_GRADCAM_LAYER, inceptionV3 } from './inception-v3';
import { MOBILENET_V2_GRADCAM_LAYER, mobileNetV2 } from './mobilenet-v2';

const SHAPE: InputShape = { height: 75, width: 75, channels: 3 };

describe.each([
  ['hydra-cnn', () => hydraCnn({ input: SHAPE, classes: 3, seed: 1 }), HYDRA_CNN_GRADCAM_LAYER()],
  [
    'mobilenet-v2 α0.35',
    () => mobileNetV2({ input: SHAPE, classes: 3, alpha: 0.35, seed: 1 }),
    MOBILENET_V2_GRADCAM_LAYER,
  ],
  ['inception-v3', () => inceptionV3({ input: SHAPE, classes: 3, seed: 1 }), INCEPTION_V3_GRADCAM_LAYER],
] as const)('%s on wasm', (_name, build, gradCamLayer) => {
  beforeAll(() => initialiseBackend('wasm'));

  it('learns a fixed batch: the loss falls over a few steps', () => {
    const model = build();
    const optimizer = tf.train.adam(3e-3);
    const images = tf.randomUniform([6, SHAPE.height, SHAPE.width, 3], 0, 1, 'float32', 2);
    const targets = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3);
    const losses: number[] = [];
    for (let step = 0; step < 8; step++) {
      const loss = optimizer.minimize(
        () =>
          tf.losses.softmaxCrossEntropy(
            targets,
            model.apply(images, { training: true }) as tf.Tensor,
          ) as tf.Scalar,
        true,
      );
      losses.push(loss?.dataSync()[0] as number);
      loss?.dispose();
    }
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] as number);
    tf.dispose([images, targets]);
    optimizer.dispose();
    model.dispose();
  }, 120_000);

  it('explains itself with a heat map over the whole input', async () => {
    const model = build();
    const input = tf
      .randomUniform([SHAPE.height * SHAPE.width * 3], 0, 1, 'float32', 3)
      .dataSync() as Float32Array;
    const result = await gradCam(model, input, SHAPE, gradCamLayer);
    expect(result.heat).toHaveLength(SHAPE.height * SHAPE.width);
    expect(Math.max(...result.heat)).toBeLessThanOrEqual(1);
    expect(Math.min(...result.heat)).toBeGreaterThanOrEqual(0);
    expect(result.probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
    model.dispose();
  }, 30_000);
});
