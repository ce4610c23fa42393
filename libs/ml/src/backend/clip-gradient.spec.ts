import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from './tensorflow-backend';

describe('ClipByValue gradient on wasm', () => {
  beforeAll(async () => {
    expect(await initialiseBackend('wasm')).toBe('wasm');
  });

  it('passes dy where min ≤ x ≤ max (bounds included) and nothing elsewhere', () => {
    const values = [-1, 0, 0.5, 3, 6, 6.5, 2, -0.25];
    const dy = [1, 2, 3, 4, 5, 6, 7, 8];
    const x = tf.tensor2d(values, [2, 4]);
    const gradient = tf.grad((input: tf.Tensor) =>
      tf.sum(tf.mul(tf.clipByValue(input, 0, 6), tf.tensor2d(dy, [2, 4]))),
    )(x);
    const expected = values.map((value, index) => (value >= 0 && value <= 6 ? (dy[index] as number) : 0));
    expect(Array.from(gradient.dataSync())).toEqual(expected);
    tf.dispose([x, gradient]);
  });
});
