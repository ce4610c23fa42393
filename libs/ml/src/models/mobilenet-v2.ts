import * as tf from '@tensorflow/tfjs';
import { type InputShape, modelChannels } from '../preprocessing/image-input';
import { batchNormalization } from './batch-normalization';
import { classifierHead } from './classifier-head';

export interface MobileNetV2Options {
  input: InputShape;
  classes: number;
  /** Width multiplier α: scales every layer's channels (1.0 is the paper's network). */
  alpha?: number;
  seed?: number;
}

/** [expansion t, channels c, repeats n, first stride s] of the inverted-residual stages (Sandler et al. 2018). */
const STAGES: [number, number, number, number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** Channels rounded to a multiple of 8, never below 90 % of the exact value, as in the reference. */
function divisible(value: number): number {
  const rounded = Math.max(8, Math.floor((value + 4) / 8) * 8);
  return rounded < 0.9 * value ? rounded + 8 : rounded;
}

/** MobileNetV2 trained from scratch (no downloaded weights); Grad-CAM reads `out_relu`. */
export function mobileNetV2({ input, classes, alpha = 1, seed }: MobileNetV2Options): tf.LayersModel {
  let layerSeed = seed;
  const initializer = () =>
    tf.initializers.heNormal({ seed: layerSeed === undefined ? undefined : layerSeed++ });
  const conv = (x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number, name: string) =>
    tf.layers
      .conv2d({
        filters,
        kernelSize,
        strides,
        padding: 'same',
        useBias: false,
        kernelInitializer: initializer(),
        name,
      })
      .apply(x) as tf.SymbolicTensor;
  const bn = (x: tf.SymbolicTensor, name: string) =>
    batchNormalization({ momentum: 0.9, epsilon: 1e-3, name }).apply(x) as tf.SymbolicTensor;
  const relu6 = (x: tf.SymbolicTensor, name: string) =>
    tf.layers.reLU({ maxValue: 6, name }).apply(x) as tf.SymbolicTensor;

  const inputs = tf.input({ shape: [input.height, input.width, modelChannels(input)], name: 'image' });
  let x = relu6(bn(conv(inputs, divisible(32 * alpha), 3, 2, 'stem_conv'), 'stem_bn'), 'stem_relu');
  let channels = divisible(32 * alpha);
  let block = 0;
  for (const [expansion, baseChannels, repeats, firstStride] of STAGES) {
    const outChannels = divisible(baseChannels * alpha);
    for (let repeat = 0; repeat < repeats; repeat++) {
      const stride = repeat === 0 ? firstStride : 1;
      const name = `block${block++}`;
      let y = x;
      if (expansion !== 1)
        y = relu6(
          bn(conv(y, channels * expansion, 1, 1, `${name}_expand`), `${name}_expand_bn`),
          `${name}_expand_relu`,
        );
      y = tf.layers
        .depthwiseConv2d({
          kernelSize: 3,
          strides: stride,
          padding: 'same',
          useBias: false,
          depthwiseInitializer: initializer(),
          name: `${name}_depthwise`,
        })
        .apply(y) as tf.SymbolicTensor;
      y = relu6(bn(y, `${name}_depthwise_bn`), `${name}_depthwise_relu`);
      y = bn(conv(y, outChannels, 1, 1, `${name}_project`), `${name}_project_bn`);
      x =
        stride === 1 && channels === outChannels
          ? (tf.layers.add({ name: `${name}_add` }).apply([x, y]) as tf.SymbolicTensor)
          : y;
      channels = outChannels;
    }
  }
  const lastChannels = alpha > 1 ? divisible(1280 * alpha) : 1280;
  x = relu6(bn(conv(x, lastChannels, 1, 1, 'out_conv'), 'out_bn'), MOBILENET_V2_GRADCAM_LAYER);
  const outputs = classifierHead(x, classes, layerSeed);
  return tf.model({ inputs, outputs, name: `mobilenet-v2-${alpha}` });
}

export const MOBILENET_V2_GRADCAM_LAYER = 'out_relu';
