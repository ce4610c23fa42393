import * as tf from '@tensorflow/tfjs';
import { type InputShape, modelChannels } from '../preprocessing/image-input';
import { batchNormalization } from './batch-normalization';
import { classifierHead } from './classifier-head';

export interface InceptionV3Options {
  /** 299 × 299 in the paper; at least 75 × 75. */
  input: InputShape;
  classes: number;
  seed?: number;
}

/**
 * Inception-v3 (Szegedy et al. 2016) as Jefferson Lab's Hydra uses it: trained from scratch, no
 * downloaded weights. Grad-CAM reads the last mixed block, `mixed10`.
 */
export function inceptionV3({ input, classes, seed }: InceptionV3Options): tf.LayersModel {
  if (input.height < 75 || input.width < 75)
    throw new Error(`inception-v3 needs at least 75 × 75 input, got ${input.height} × ${input.width}`);
  let layerSeed = seed;
  let count = 0;
  const convBn = (
    x: tf.SymbolicTensor,
    filters: number,
    rows: number,
    columns: number,
    strides = 1,
    padding: 'same' | 'valid' = 'same',
  ) => {
    const name = `conv${count++}`;
    const kernelInitializer = tf.initializers.glorotUniform({
      seed: layerSeed === undefined ? undefined : layerSeed++,
    });
    const conv = tf.layers
      .conv2d({
        filters,
        kernelSize: [rows, columns],
        strides,
        padding,
        useBias: false,
        kernelInitializer,
        name,
      })
      .apply(x) as tf.SymbolicTensor;
    // Keras drops the scale (a ReLU follows); tfjs-layers cannot train without one (it reads gamma unconditionally).
    const normalised = batchNormalization({ momentum: 0.9, epsilon: 1e-3, name: `${name}_bn` }).apply(
      conv,
    ) as tf.SymbolicTensor;
    return tf.layers
      .activation({ activation: 'relu', name: `${name}_relu` })
      .apply(normalised) as tf.SymbolicTensor;
  };
  const maxPool = (x: tf.SymbolicTensor, name: string) =>
    tf.layers.maxPooling2d({ poolSize: 3, strides: 2, name }).apply(x) as tf.SymbolicTensor;
  const averagePool = (x: tf.SymbolicTensor, name: string) =>
    tf.layers
      .averagePooling2d({ poolSize: 3, strides: 1, padding: 'same', name })
      .apply(x) as tf.SymbolicTensor;
  const concat = (branches: tf.SymbolicTensor[], name: string) =>
    tf.layers.concatenate({ axis: -1, name }).apply(branches) as tf.SymbolicTensor;

  const inputs = tf.input({ shape: [input.height, input.width, modelChannels(input)], name: 'image' });
  let x = convBn(inputs, 32, 3, 3, 2, 'valid');
  x = convBn(x, 32, 3, 3, 1, 'valid');
  x = convBn(x, 64, 3, 3);
  x = maxPool(x, 'stem_pool1');
  x = convBn(x, 80, 1, 1, 1, 'valid');
  x = convBn(x, 192, 3, 3, 1, 'valid');
  x = maxPool(x, 'stem_pool2');

  // mixed0–2: 35 × 35 at full size.
  [32, 64, 64].forEach((poolFilters, index) => {
    const branch5x5 = convBn(convBn(x, 48, 1, 1), 64, 5, 5);
    const branch3x3 = convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    const pool = convBn(averagePool(x, `mixed${index}_pool`), poolFilters, 1, 1);
    x = concat([convBn(x, 64, 1, 1), branch5x5, branch3x3, pool], `mixed${index}`);
  });
  // mixed3: down to 17 × 17.
  x = concat(
    [
      convBn(x, 384, 3, 3, 2, 'valid'),
      convBn(convBn(convBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, 'valid'),
      maxPool(x, 'mixed3_pool'),
    ],
    'mixed3',
  );
  // mixed4–7: factorised 7 × 7 convolutions.
  [128, 160, 160, 192].forEach((width, index) => {
    const branch7x7 = convBn(convBn(convBn(x, width, 1, 1), width, 1, 7), 192, 7, 1);
    let double = convBn(x, width, 1, 1);
    double = convBn(convBn(convBn(convBn(double, width, 7, 1), width, 1, 7), width, 7, 1), 192, 1, 7);
    const pool = convBn(averagePool(x, `mixed${index + 4}_pool`), 192, 1, 1);
    x = concat([convBn(x, 192, 1, 1), branch7x7, double, pool], `mixed${index + 4}`);
  });
  // mixed8: down to 8 × 8.
  x = concat(
    [
      convBn(convBn(x, 192, 1, 1), 320, 3, 3, 2, 'valid'),
      convBn(convBn(convBn(convBn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, 2, 'valid'),
      maxPool(x, 'mixed8_pool'),
    ],
    'mixed8',
  );
  // mixed9–10: expanded filter banks.
  [9, 10].forEach((index) => {
    const branch3x3 = convBn(x, 384, 1, 1);
    const split3x3 = concat(
      [convBn(branch3x3, 384, 1, 3), convBn(branch3x3, 384, 3, 1)],
      `mixed${index}_3x3`,
    );
    const double = convBn(convBn(x, 448, 1, 1), 384, 3, 3);
    const splitDouble = concat(
      [convBn(double, 384, 1, 3), convBn(double, 384, 3, 1)],
      `mixed${index}_double`,
    );
    const pool = convBn(averagePool(x, `mixed${index}_pool`), 192, 1, 1);
    x = concat([convBn(x, 320, 1, 1), split3x3, splitDouble, pool], `mixed${index}`);
  });
  const outputs = classifierHead(x, classes, layerSeed);
  return tf.model({ inputs, outputs, name: 'inception-v3' });
}

export const INCEPTION_V3_GRADCAM_LAYER = 'mixed10';
