import * as tf from '@tensorflow/tfjs';
import { batchNormalization } from '../models/batch-normalization';
import { initialiseBackend } from './tensorflow-backend';

/** One training call of a batch-norm layer: output, gradients of a weighted sum, moving statistics. */
function trainingStep(layer: tf.layers.Layer, input: tf.Tensor, weights: tf.Tensor) {
  const x = tf.variable(input);
  const gamma = tf.randomNormal([input.shape.at(-1) as number], 1, 0.3, 'float32', 7);
  const beta = tf.randomNormal(gamma.shape, 0, 0.5, 'float32', 8);
  tf.dispose(layer.apply(input, { training: false }) as tf.Tensor); // builds the weights
  layer.setWeights([gamma, beta, ...layer.getWeights().slice(2)]);
  const { value, grads } = tf.variableGrads(() => {
    const output = layer.apply(x, { training: true }) as tf.Tensor;
    return tf.sum(tf.mul(output, weights)) as tf.Scalar;
  });
  const [gammaVariable, betaVariable] = layer.trainableWeights.map((weight) => weight.name);
  const result = {
    loss: value.dataSync()[0],
    dx: grads[x.name]?.dataSync(),
    dGamma: grads[gammaVariable as string]?.dataSync(),
    dBeta: grads[betaVariable as string]?.dataSync(),
    moving: layer
      .getWeights()
      .slice(2)
      .map((weight) => weight.dataSync()),
  };
  tf.dispose([x, gamma, beta, value, ...Object.values(grads)]);
  return result;
}

function expectClose(actual: ArrayLike<number> | undefined, expected: ArrayLike<number> | undefined) {
  expect(actual).toBeDefined();
  expect(actual?.length).toBe(expected?.length);
  let worst = 0;
  for (let index = 0; index < (expected?.length ?? 0); index++)
    worst = Math.max(worst, Math.abs((actual?.[index] as number) - (expected?.[index] as number)));
  expect(worst).toBeLessThan(1e-4);
}

describe('fused batch normalisation in training (wasm)', () => {
  beforeAll(async () => {
    expect(await initialiseBackend('wasm')).toBe('wasm');
  });

  it.each([
    ['a conv activation', [3, 5, 7, 4]],
    ['a dense activation', [6, 5]],
    ['one channel, offset far from zero', [2, 9, 9, 1]],
  ])('equals the stock layer on %s: output, gradients and moving statistics', (_name, shape) => {
    const input = tf.add(tf.randomNormal(shape, 0, 2, 'float32', 1), shape[3] === 1 ? 50 : 0);
    const weights = tf.randomNormal(shape, 0, 1, 'float32', 2);
    const options = { momentum: 0.9, epsilon: 1e-3 };
    const fused = trainingStep(batchNormalization(options), input, weights);
    const stock = trainingStep(tf.layers.batchNormalization(options), input, weights);
    expect(Math.abs((fused.loss as number) - (stock.loss as number))).toBeLessThan(1e-3);
    expectClose(fused.dx, stock.dx);
    expectClose(fused.dGamma, stock.dGamma);
    expectClose(fused.dBeta, stock.dBeta);
    fused.moving.forEach((values, index) => expectClose(values, stock.moving[index]));
    tf.dispose([input, weights]);
  });

  it('leaves no tensors behind across training steps', () => {
    const layer = batchNormalization({});
    const input = tf.randomNormal([4, 6, 6, 3]);
    const weights = tf.randomNormal([4, 6, 6, 3]);
    trainingStep(layer, input, weights);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) trainingStep(layer, input, weights);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([input, weights]);
  });
});
