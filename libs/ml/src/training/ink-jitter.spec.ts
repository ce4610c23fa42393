import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { jitterInk } from './ink-jitter';

describe('jitterInk', () => {
  beforeAll(() => initialiseBackend('wasm'));

  it('scales each image’s distance from white by its own factor and keeps white white', () => {
    const batch = tf.tensor4d([1, 0.5, 0, 1, 0.5, 0], [2, 1, 3, 1]);
    const draws = [1, 0]; // factors 1.2 and 0.8
    const jittered = jitterInk(batch, 0.2, () => draws.shift() as number);
    const values = Array.from(jittered.dataSync());
    [1, 0.4, 0, 1, 0.6, 0.2].forEach((expected, index) => expect(values[index]).toBeCloseTo(expected, 6));
    tf.dispose([batch, jittered]);
  });
});
