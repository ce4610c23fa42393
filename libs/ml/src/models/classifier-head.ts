import * as tf from '@tensorflow/tfjs';

/**
 * The head every model of the zoo ends in: global average pooling (`pool`), then a softmax layer
 * (`classes`). Grad-CAM relies on this chain after the last convolutional block.
 */
export function classifierHead(
  features: tf.SymbolicTensor,
  classes: number,
  seed: number | undefined,
): tf.SymbolicTensor {
  const pooled = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(features) as tf.SymbolicTensor;
  return tf.layers
    .dense({
      units: classes,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
      name: 'classes',
    })
    .apply(pooled) as tf.SymbolicTensor;
}
