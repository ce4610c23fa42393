import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { fillOnHeap, registerKernels } from './kernel-tensors';

/**
 * Batch normalisation in training (batch statistics over every axis but the last), forward and
 * backward each in two passes of JavaScript over the wasm heap. tfjs-layers builds it from moments,
 * batchNorm and their gradients: a dozen full-size ops per layer, a fifth of a hydra-cnn training
 * step. Outputs: the normalised tensor, the batch mean and the (biased) batch variance.
 */
const BATCH_NORM_TRAINING = 'HydraBatchNormTraining';
const BATCH_NORM_TRAINING_GRAD = 'HydraBatchNormTrainingGrad';

interface Attrs {
  epsilon: number;
}

/** The fused op where the active backend has it, else undefined (the caller uses tfjs's ops). */
export function batchNormInTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): [normalised: tf.Tensor, mean: tf.Tensor1D, variance: tf.Tensor1D] | undefined {
  if (!tf.getKernel(BATCH_NORM_TRAINING, tf.getBackend())) return undefined;
  return tf.engine().runKernel(BATCH_NORM_TRAINING, { x, gamma, beta }, { epsilon } as never) as never;
}

export function registerBatchNormTraining(): void {
  registerKernels([forward, backward]);
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAINING,
    inputsToSave: ['x', 'gamma'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, gamma, mean, variance] = saved as tf.Tensor[];
      const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
      // One kernel gives all three gradients; the tape asks for them one at a time.
      const [dx, dGamma, dBeta] = tf
        .engine()
        .runKernel(BATCH_NORM_TRAINING_GRAD, { dy, x, gamma, mean, variance } as never, attrs) as tf.Tensor[];
      return { x: () => dx as tf.Tensor, gamma: () => dGamma as tf.Tensor, beta: () => dBeta as tf.Tensor };
    },
  });
}

/** Sums per channel (the last axis) of `first` and of `first × second` (or of `first²`), in doubles. */
function channelSums(
  first: Float32Array,
  second: Float32Array | undefined,
  channels: number,
): [Float64Array, Float64Array] {
  const sums = new Float64Array(channels);
  const products = new Float64Array(channels);
  const other = second ?? first;
  for (let offset = 0; offset < first.length; offset += channels) {
    for (let channel = 0; channel < channels; channel++) {
      const value = first[offset + channel] as number;
      sums[channel] = (sums[channel] as number) + value;
      products[channel] = (products[channel] as number) + value * (other[offset + channel] as number);
    }
  }
  return [sums, products];
}

/** output = input × scale[c] + shift[c] (+ extra × extraScale[c]), channel c being the last axis. */
function affinePerChannel(
  output: Float32Array,
  input: Float32Array,
  scale: Float64Array,
  shift: Float64Array,
  extra?: { values: Float32Array; scale: Float64Array },
): void {
  const channels = scale.length;
  for (let offset = 0; offset < input.length; offset += channels) {
    for (let channel = 0; channel < channels; channel++) {
      const index = offset + channel;
      let value = (input[index] as number) * (scale[channel] as number) + (shift[channel] as number);
      if (extra) value += (extra.values[index] as number) * (extra.scale[channel] as number);
      output[index] = value;
    }
  }
}

const forward: tf.KernelConfig = {
  kernelName: BATCH_NORM_TRAINING,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
    const { epsilon } = attrs as unknown as Attrs;
    const wasm = backend as BackendWasm;
    const channels = x.shape[x.shape.length - 1] as number;
    const count = tf.util.sizeFromShape(x.shape) / channels;
    const moments = [new Float64Array(channels), new Float64Array(channels)] as const;
    const normalised = fillOnHeap(wasm, x.shape, [x, gamma, beta], (output, input, scales, offsets) => {
      const [sums, squares] = channelSums(input, undefined, channels);
      const scale = new Float64Array(channels);
      const shift = new Float64Array(channels);
      for (let channel = 0; channel < channels; channel++) {
        const mean = (sums[channel] as number) / count;
        const variance = Math.max((squares[channel] as number) / count - mean * mean, 0);
        moments[0][channel] = mean;
        moments[1][channel] = variance;
        scale[channel] = (scales[channel] as number) / Math.sqrt(variance + epsilon);
        shift[channel] = (offsets[channel] as number) - mean * (scale[channel] as number);
      }
      affinePerChannel(output, input, scale, shift);
    });
    return [
      normalised,
      ...moments.map((values) =>
        wasm.makeOutput([channels], 'float32', undefined, Float32Array.from(values)),
      ),
    ];
  },
};

const backward: tf.KernelConfig = {
  kernelName: BATCH_NORM_TRAINING_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, x, gamma, mean, variance } = inputs as Record<
      'dy' | 'x' | 'gamma' | 'mean' | 'variance',
      tf.TensorInfo
    >;
    const { epsilon } = attrs as unknown as Attrs;
    const wasm = backend as BackendWasm;
    const channels = x.shape[x.shape.length - 1] as number;
    const count = tf.util.sizeFromShape(x.shape) / channels;
    const dGamma = new Float32Array(channels);
    const dBeta = new Float32Array(channels);
    const sources = [dy, x, gamma, mean, variance];
    const dx = fillOnHeap(wasm, x.shape, sources, (output, gradient, input, scales, means, variances) => {
      // With x̂ = (x − μ)/σ: dβ = Σdy, dγ = Σdy·x̂, dx = γ/σ · (dy − Σdy/n − x̂ · Σdy·x̂/n),
      // which is dy·k₁ + x·k₂ + k₃ per channel.
      const [sumDy, sumDyX] = channelSums(gradient, input, channels);
      const k1 = new Float64Array(channels);
      const k2 = new Float64Array(channels);
      const k3 = new Float64Array(channels);
      for (let channel = 0; channel < channels; channel++) {
        const inverseStd = 1 / Math.sqrt((variances[channel] as number) + epsilon);
        const mu = means[channel] as number;
        const sumDyXHat = inverseStd * ((sumDyX[channel] as number) - mu * (sumDy[channel] as number));
        const scale = (scales[channel] as number) * inverseStd;
        dGamma[channel] = sumDyXHat;
        dBeta[channel] = sumDy[channel] as number;
        k1[channel] = scale;
        k2[channel] = (-scale * inverseStd * sumDyXHat) / count;
        k3[channel] = (-scale * (sumDy[channel] as number)) / count - (k2[channel] as number) * mu;
      }
      affinePerChannel(output, gradient, k1, k3, { values: input, scale: k2 });
    });
    return [
      dx,
      wasm.makeOutput([channels], 'float32', undefined, dGamma),
      wasm.makeOutput([channels], 'float32', undefined, dBeta),
    ];
  },
};
