import * as tf from '@tensorflow/tfjs';

/**
 * The stock FusedBatchNorm gradient tiles 1/√variance to the whole input before multiplying — the
 * biggest single cost of a training step on wasm. Broadcasting gives the same numbers without it.
 */
export function registerBatchNormGradient(): void {
  tf.registerGradient({
    kernelName: tf.FusedBatchNorm,
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy, saved, attrs) => {
      const gradient = dy as tf.Tensor;
      const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
      const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
      const scaleValue = scale ?? tf.scalar(1);
      const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
      const reduce = (value: tf.Tensor) =>
        (axes.length > 0 ? tf.sum(value, axes) : value).reshape(mean.shape);
      const xMinusMean = tf.sub(x, mean);
      const dyTimesScale = tf.mul(gradient, scaleValue);
      const oneOverSqrtVariance = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
      const minusHalfRCube = tf.mul(tf.pow(oneOverSqrtVariance, 3), tf.scalar(-0.5));
      return {
        x: () => tf.mul(tf.mul(gradient, oneOverSqrtVariance), scaleValue).reshape(x.shape),
        mean: () => reduce(tf.mul(tf.neg(oneOverSqrtVariance), dyTimesScale)),
        variance: () => reduce(tf.mul(tf.mul(minusHalfRCube, xMinusMean), dyTimesScale)),
        scale: () => reduce(tf.mul(gradient, tf.mul(xMinusMean, oneOverSqrtVariance))),
        offset: () => reduce(gradient),
      };
    },
  });
}
