import * as tf from '@tensorflow/tfjs';

/** Attributes and geometry shared by the convolution gradient kernels (NHWC, dilation 1). */
interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

interface DepthwiseAttrs extends ConvAttrs {
  dilations: [number, number] | number;
}

function depthwiseInfo(
  inputShape: number[],
  filterShape: [number, number, number, number],
  strides: DepthwiseAttrs['strides'],
  dilations: DepthwiseAttrs['dilations'],
  pad: ConvAttrs['pad'],
  dimRoundingMode: ConvAttrs['dimRoundingMode'],
): ConvInfo {
  if (filterShape[3] !== 1)
    throw new Error(`Hydra's depthwise gradients support a depth multiplier of 1, got ${filterShape[3]}`);
  if (
    dilations !== undefined &&
    dilations !== 1 &&
    !(Array.isArray(dilations) && dilations.every((value) => value === 1))
  ) {
    throw new Error("Hydra's depthwise gradients support dilation 1 only");
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
export function framedGradient(gradient: tf.Tensor4D, info: ConvInfo): tf.Tensor4D {
  const dilated = dilate(gradient, info.strideHeight, info.strideWidth);
  const top = info.filterHeight - 1 - info.padInfo.top;
  const left = info.filterWidth - 1 - info.padInfo.left;
  const bottom = info.inHeight + info.filterHeight - 1 - dilated.shape[1] - top;
  const right = info.inWidth + info.filterWidth - 1 - dilated.shape[2] - left;
  return padOrCrop(dilated, top, bottom, left, right);
}

/**
 * Inserts stride−1 zeros between neighbouring rows and columns: rows, then columns, each a pad of a
 * rank-4 view (tfjs-backend-webgpu pads nothing of higher rank).
 */
function dilate(values: tf.Tensor4D, strideHeight: number, strideWidth: number): tf.Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return values;
  const [batch, height, width, channels] = values.shape;
  const spreadRows = spreadAxis2(values.reshape([batch, height, 1, width * channels]), strideHeight);
  const tall = height * strideHeight;
  const spread = spreadAxis2(spreadRows.reshape([batch * tall, width, 1, channels]), strideWidth).reshape([
    batch,
    tall,
    width * strideWidth,
    channels,
  ]) as tf.Tensor4D;
  return spread.slice(
    [0, 0, 0, 0],
    [batch, (height - 1) * strideHeight + 1, (width - 1) * strideWidth + 1, channels],
  );
}

/** Pads axis 2 (of size 1) to `stride`: after a reshape, stride−1 zeros after each element of axis 1. */
function spreadAxis2(values: tf.Tensor4D, stride: number): tf.Tensor4D {
  return stride === 1
    ? values
    : tf.pad(values, [
        [0, 0],
        [0, 0],
        [0, stride - 1],
        [0, 0],
      ]);
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
  if (dataFormat !== 'NHWC') throw new Error(`Hydra's ${kernel} supports NHWC only, got ${dataFormat}`);
}

export function padInput(input: tf.Tensor4D, info: ConvInfo): tf.Tensor4D {
  const { top, bottom, left, right } = info.padInfo;
  return top || bottom || left || right
    ? tf.pad(input, [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ])
    : input;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Shape4D = [number, number, number, number];

/** x, dy and the geometry of a (full or depthwise) convolution's filter gradient. */
export function filterGradientArgs({ inputs, attrs }: KernelArgs, depthwise: boolean) {
  const { x, dy } = inputs as Record<'x' | 'dy', tf.TensorInfo>;
  const { filterShape } = attrs as unknown as { filterShape: Shape4D };
  const kernel = depthwise ? tf.DepthwiseConv2dNativeBackpropFilter : tf.Conv2DBackpropFilter;
  return { x, dy, filterShape, info: geometry(attrs, x.shape, filterShape, depthwise, kernel) };
}

/** dy, the filter and the geometry of a (full or depthwise) convolution's input gradient. */
export function inputGradientArgs({ inputs, attrs }: KernelArgs, depthwise: boolean) {
  const { dy, filter } = inputs as Record<'dy' | 'filter', tf.TensorInfo>;
  const { inputShape } = attrs as unknown as { inputShape: Shape4D };
  const kernel = depthwise ? tf.DepthwiseConv2dNativeBackpropInput : tf.Conv2DBackpropInput;
  return { dy, filter, info: geometry(attrs, inputShape, filter.shape, depthwise, kernel) };
}

function geometry(
  attrs: KernelArgs['attrs'],
  inputShape: number[],
  filterShape: number[],
  depthwise: boolean,
  kernel: string,
): ConvInfo {
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as DepthwiseAttrs;
  assertNhwc(dataFormat ?? 'NHWC', kernel);
  return depthwise
    ? depthwiseInfo(inputShape, filterShape as Shape4D, strides, dilations, pad, dimRoundingMode)
    : convInfo(inputShape, filterShape, strides, pad, dimRoundingMode);
}
