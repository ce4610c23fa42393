import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { jitterInk, shiftBatch } from './augmentation';

describe('augmentation', () => {
  beforeAll(() => initialiseBackend('wasm'));

  it('scales each image’s distance from white by its own factor and keeps white white', () => {
    const batch = tf.tensor4d([1, 0.5, 0, 1, 0.5, 0], [2, 1, 3, 1]);
    const draws = [1, 0]; // factors 1.2 and 0.8
    const jittered = jitterInk(batch, 0.2, () => draws.shift() as number);
    const values = Array.from(jittered.dataSync());
    [1, 0.4, 0, 1, 0.6, 0.2].forEach((expected, index) => expect(values[index]).toBeCloseTo(expected, 6));
    tf.dispose([batch, jittered]);
  });

  it('scales a median residual’s channels by the same factor, unclipped, where `blank` marks them', () => {
    // One pixel: an image channel (white 1) and its residual (blank 0).
    const batch = tf.tensor4d([0.5, -2, 0.1, 3], [2, 1, 1, 2]);
    const draws = [1, 0]; // factors 1.5 and 0.5
    const jittered = jitterInk(batch, 0.5, () => draws.shift() as number, [1, 0]);
    const values = Array.from(jittered.dataSync());
    [0.25, -3, 0.55, 1.5].forEach((expected, index) => expect(values[index]).toBeCloseTo(expected, 6));
    tf.dispose([batch, jittered]);
  });

  it('shifts a batch and fills the margin with each channel’s blank value', () => {
    // One 2 × 3 image of two channels: colour (white 1) and residual (blank 0).
    const batch = tf.tensor4d([0.1, 5, 0.2, 6, 0.3, 7, 0.4, 8, 0.5, 9, 0.6, 10], [1, 2, 3, 2]);
    const shifted = shiftBatch(batch, 1, -1, [1, 0]);
    const white = shiftBatch(batch, 0, 1);
    const expectClose = (tensor: tf.Tensor, expected: number[]) =>
      Array.from(tensor.dataSync()).forEach((value, index) =>
        expect(value).toBeCloseTo(expected[index] as number, 6),
      );
    // Down one row, left one column: the old top row's last two pixels land in the bottom row.
    expectClose(shifted, [1, 0, 1, 0, 1, 0, 0.2, 6, 0.3, 7, 1, 0]);
    expectClose(white, [1, 1, 0.1, 5, 0.2, 6, 1, 1, 0.4, 8, 0.5, 9]);
    tf.dispose([batch, shifted, white]);
  });
});
