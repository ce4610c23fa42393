import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from './tensorflow-backend';

describe('batch-norm gradient', () => {
  beforeAll(() => initialiseBackend('wasm'));

  it('equals the gradient of batch norm written out in primitive ops', () => {
    const x = tf.randomNormal([3, 5, 4, 6], 0, 2, 'float32', 1);
    const mean = tf.randomNormal([6], 0, 1, 'float32', 2);
    const variance = tf.randomUniform([6], 0.5, 2, 'float32', 3);
    const scale = tf.randomNormal([6], 1, 0.3, 'float32', 4);
    const offset = tf.randomNormal([6], 0, 1, 'float32', 5);
    const weights = tf.randomNormal([3, 5, 4, 6], 0, 1, 'float32', 6);
    const epsilon = 1e-3;
    const fused = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
      tf.batchNorm(a, m, v, o, s, epsilon).mul(weights).sum() as tf.Scalar;
    const written = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
      a.sub(m).mul(v.add(epsilon).rsqrt()).mul(s).add(o).mul(weights).sum() as tf.Scalar;
    const actual = tf.grads(fused)([x, mean, variance, scale, offset]);
    const expected = tf.grads(written)([x, mean, variance, scale, offset]);
    actual.forEach((gradient, index) => {
      const difference = gradient
        .sub(expected[index] as tf.Tensor)
        .abs()
        .max()
        .dataSync()[0] as number;
      expect(difference).toBeLessThan(1e-4);
    });
  });
});
