import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { channelsFirstPatches } from './im2col';
import { aliasResult, fillOnHeap, fromInfo } from './kernel-tensors';
import { maxPoolGradient } from './max-pool-gradient';

/**
 * Gradient kernels the stock wasm backend lacks (Conv2DBackpropFilter) or runs slowly
 * (Conv2DBackpropInput, MaxPoolGrad), rebuilt from im2col written in JavaScript, pad / matMul / conv2d so
 * that XNNPACK does the multiply-adds. They lean on tfjs internals: tfjs is pinned exactly, and every
 * kernel is checked against the `cpu` backend's in the tests.
 */
export function registerWasmGradientKernels(): void {
  for (const config of [
    conv2dBackpropFilter,
    conv2dBackpropInput,
    depthwiseBackpropFilter,
    depthwiseBackpropInput,
    maxPoolGradient,
  ]) {
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
}

interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const conv2dBackpropFilter: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as ConvAttrs & {
      filterShape: [number, number, number, number];
    };
    assertNhwc(dataFormat, tf.Conv2DBackpropFilter);
    const info = convInfo(x.shape as never, filterShape, strides, pad, dimRoundingMode);
    const wasm = backend as BackendWasm;
    return aliasResult(wasm, () => {
      const input = fromInfo(wasm, x) as tf.Tensor4D;
      const gradient = fromInfo(wasm, dy) as tf.Tensor4D;
      // dW = im2col(x)ᵀ · dy. The patches are built already transposed, [taps × channels, positions],
      // from a channels-first copy of x: XNNPACK multiplies that 5–10× faster than with transposeA.
      const patches = channelsFirstPatches(wasm, input.transpose([3, 0, 1, 2]), info);
      const rows = info.batchSize * info.outHeight * info.outWidth;
      const product = tf.matMul(patches, gradient.reshape([rows, info.outChannels]));
      return product.reshape(filterShape);
    });
  },
};

const conv2dBackpropInput: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as ConvAttrs & {
      inputShape: [number, number, number, number];
    };
    assertNhwc(dataFormat, tf.Conv2DBackpropInput);
    const info = convInfo(inputShape, filter.shape as never, strides, pad, dimRoundingMode);
    const wasm = backend as BackendWasm;
    return aliasResult(wasm, () => {
      const gradient = fromInfo(wasm, dy) as tf.Tensor4D;
      const weights = fromInfo(wasm, filter) as tf.Tensor4D;
      // dx is the full correlation of the zero-dilated dy with the filter turned 180° and transposed.
      const framed = framedGradient(gradient, info);
      const turned = tf.reverse(weights, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D;
      return tf.conv2d(framed, turned, 1, 'valid');
    });
  },
};

interface DepthwiseAttrs extends ConvAttrs {
  dilations: [number, number] | number;
}

const depthwiseBackpropFilter: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { strides, pad, dilations, dimRoundingMode, filterShape } = attrs as unknown as DepthwiseAttrs & {
      filterShape: [number, number, number, number];
    };
    const info = depthwiseInfo(x.shape, filterShape, strides, dilations, pad, dimRoundingMode);
    const wasm = backend as BackendWasm;
    // dW[tap, c] = Σ x(tap)·dy over batch and positions, accumulated per output position in one pass
    // of JavaScript: the per-tap strided slices this replaced cost 60 % of a MobileNet step.
    const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, padInfo } = info;
    const sums = new Float64Array(info.filterHeight * info.filterWidth * channels);
    return fillOnHeap(wasm, filterShape, [x, dy], (output, input, gradient) => {
      let outIndex = 0;
      for (let image = 0; image < batchSize; image++) {
        for (let outRow = 0; outRow < outHeight; outRow++) {
          for (let outColumn = 0; outColumn < outWidth; outColumn++, outIndex += channels) {
            for (let tapRow = 0; tapRow < info.filterHeight; tapRow++) {
              const row = outRow * info.strideHeight + tapRow - padInfo.top;
              if (row < 0 || row >= inHeight) continue;
              for (let tapColumn = 0; tapColumn < info.filterWidth; tapColumn++) {
                const column = outColumn * info.strideWidth + tapColumn - padInfo.left;
                if (column < 0 || column >= inWidth) continue;
                const inIndex = ((image * inHeight + row) * inWidth + column) * channels;
                const tap = (tapRow * info.filterWidth + tapColumn) * channels;
                for (let channel = 0; channel < channels; channel++) {
                  sums[tap + channel] =
                    (sums[tap + channel] as number) +
                    (input[inIndex + channel] as number) * (gradient[outIndex + channel] as number);
                }
              }
            }
          }
        }
      }
      output.set(sums);
    });
  },
};

const depthwiseBackpropInput: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { strides, pad, dilations, dimRoundingMode, inputShape } = attrs as unknown as DepthwiseAttrs & {
      inputShape: [number, number, number, number];
    };
    const info = depthwiseInfo(inputShape, filter.shape as never, strides, dilations, pad, dimRoundingMode);
    const wasm = backend as BackendWasm;
    return aliasResult(wasm, () => {
      const gradient = fromInfo(wasm, dy) as tf.Tensor4D;
      const weights = fromInfo(wasm, filter) as tf.Tensor4D;
      // As for a full convolution: correlate the dilated, framed dy with the filter turned 180°.
      const framed = framedGradient(gradient, info);
      return tf.depthwiseConv2d(framed, tf.reverse(weights, [0, 1]) as tf.Tensor4D, 1, 'valid');
    });
  },
};

function depthwiseInfo(
  inputShape: number[],
  filterShape: [number, number, number, number],
  strides: DepthwiseAttrs['strides'],
  dilations: DepthwiseAttrs['dilations'],
  pad: ConvAttrs['pad'],
  dimRoundingMode: ConvAttrs['dimRoundingMode'],
): ConvInfo {
  if (filterShape[3] !== 1)
    throw new Error(`depthwise gradients on wasm support a depth multiplier of 1, got ${filterShape[3]}`);
  if (
    dilations !== undefined &&
    dilations !== 1 &&
    !(Array.isArray(dilations) && dilations.every((value) => value === 1))
  ) {
    throw new Error('depthwise gradients on wasm support dilation 1 only');
  }
  return tf.backend_util.computeConv2DInfo(
    inputShape as never,
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    true,
  );
}

type ConvInfo = tf.backend_util.Conv2DInfo;

function convInfo(
  inputShape: number[],
  filterShape: number[],
  strides: ConvAttrs['strides'],
  pad: ConvAttrs['pad'],
  rounding: ConvAttrs['dimRoundingMode'],
): ConvInfo {
  return tf.backend_util.computeConv2DInfo(
    inputShape as never,
    filterShape as never,
    strides,
    1,
    pad,
    rounding,
    false,
    'channelsLast',
  );
}

/** dy dilated by the stride and framed so a valid correlation with the turned filter gives dx's size. */
function framedGradient(gradient: tf.Tensor4D, info: ConvInfo): tf.Tensor4D {
  const dilated = dilate(gradient, info.strideHeight, info.strideWidth);
  const top = info.filterHeight - 1 - info.padInfo.top;
  const left = info.filterWidth - 1 - info.padInfo.left;
  const bottom = info.inHeight + info.filterHeight - 1 - dilated.shape[1] - top;
  const right = info.inWidth + info.filterWidth - 1 - dilated.shape[2] - left;
  return padOrCrop(dilated, top, bottom, left, right);
}

/** Inserts stride−1 zeros between neighbouring rows and columns. */
function dilate(values: tf.Tensor4D, strideHeight: number, strideWidth: number): tf.Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return values;
  const [batch, height, width, channels] = values.shape;
  const spread = tf
    .pad(values.reshape([batch, height, 1, width, 1, channels]), [
      [0, 0],
      [0, 0],
      [0, strideHeight - 1],
      [0, 0],
      [0, strideWidth - 1],
      [0, 0],
    ])
    .reshape([batch, height * strideHeight, width * strideWidth, channels]) as tf.Tensor4D;
  return spread.slice(
    [0, 0, 0, 0],
    [batch, (height - 1) * strideHeight + 1, (width - 1) * strideWidth + 1, channels],
  );
}

/** Pads where a margin is positive and crops where it is negative. */
function padOrCrop(
  values: tf.Tensor4D,
  top: number,
  bottom: number,
  left: number,
  right: number,
): tf.Tensor4D {
  const margins = [top, bottom, left, right];
  const padded = margins.some((margin) => margin > 0)
    ? (tf.pad(values, [
        [0, 0],
        [Math.max(top, 0), Math.max(bottom, 0)],
        [Math.max(left, 0), Math.max(right, 0)],
        [0, 0],
      ]) as tf.Tensor4D)
    : values;
  if (margins.every((margin) => margin >= 0)) return padded;
  const [batch, height, width, channels] = padded.shape;
  const cropTop = Math.max(-top, 0);
  const cropLeft = Math.max(-left, 0);
  return padded.slice(
    [0, cropTop, cropLeft, 0],
    [batch, height - cropTop - Math.max(-bottom, 0), width - cropLeft - Math.max(-right, 0), channels],
  );
}

function assertNhwc(dataFormat: string, kernel: string): void {
  if (dataFormat !== 'NHWC') throw new Error(`${kernel} on wasm supports NHWC only, got ${dataFormat}`);
}
