import * as tf from '@tensorflow/tfjs';
import { type InputShape, modelChannels } from '../preprocessing/image-input';
import { batchNormalization } from './batch-normalization';
import { classifierHead } from './classifier-head';
import { conv2d } from './convolution';

export interface HydraCnnOptions {
  input: InputShape;
  classes: number;
  /** Filters of the successive blocks; each block halves the resolution. */
  filters?: number[];
  /** Seeds the initial weights, for reproducible training. */
  seed?: number;
}

/**
 * The default model for plots: they are mostly flat colour with sharp structure, so a few narrow
 * conv blocks see everything; global average pooling keeps it small and makes Grad-CAM exact.
 */
export function hydraCnn({
  input,
  classes,
  filters = [16, 32, 48, 64],
  seed,
}: HydraCnnOptions): tf.LayersModel {
  const inputs = tf.input({ shape: [input.height, input.width, modelChannels(input)], name: 'image' });
  let features: tf.SymbolicTensor = inputs;
  filters.forEach((count, index) => {
    const block = `block${index + 1}`;
    features = conv2d({
      filters: count,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      kernelInitializer: tf.initializers.heNormal({ seed: seed === undefined ? undefined : seed + index }),
      name: `${block}_conv`,
    }).apply(features) as tf.SymbolicTensor;
    // momentum 0.99 (the tfjs default) left validation at chance after hundreds of steps; 0.9 tracks.
    features = batchNormalization({ momentum: 0.9, name: `${block}_bn` }).apply(
      features,
    ) as tf.SymbolicTensor;
    features = tf.layers.reLU({ name: `${block}_relu` }).apply(features) as tf.SymbolicTensor;
    if (index < filters.length - 1)
      features = tf.layers
        .maxPooling2d({ poolSize: 2, name: `${block}_pool` })
        .apply(features) as tf.SymbolicTensor;
  });
  const outputs = classifierHead(features, classes, seed === undefined ? undefined : seed + filters.length);
  return tf.model({ inputs, outputs, name: 'hydra-cnn' });
}

/** The layer Grad-CAM reads: the last convolutional block's activation. */
export const HYDRA_CNN_GRADCAM_LAYER = (filters = [16, 32, 48, 64]) => `block${filters.length}_relu`;
