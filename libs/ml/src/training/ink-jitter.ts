import * as tf from '@tensorflow/tfjs';

/**
 * Scales each image's ink (its distance from white) by its own factor in [1 − amount, 1 + amount]:
 * a lighter or darker drawing of the same plot, as another renderer, palette or line width would
 * give. White stays white and nothing moves, so no fault (a shifted peak, a dead channel) can be
 * erased; hues stay in their order.
 */
export function jitterInk(batch: tf.Tensor4D, amount: number, random: () => number): tf.Tensor4D {
  return tf.tidy(() => {
    const [count] = batch.shape;
    const factors = tf.tensor4d(
      Array.from({ length: count }, () => 1 + amount * (2 * random() - 1)),
      [count, 1, 1, 1],
    );
    const ink = tf.sub(1, batch).mul(factors);
    return tf.sub(1, ink).clipByValue(0, 1) as tf.Tensor4D;
  });
}
