import * as tf from '@tensorflow/tfjs';

/**
 * Checking Hydra's gradient kernels against the `cpu` backend's, the reference: the same inputs
 * through both, the largest difference back.
 */

/** name, input NHWC, filter HWIO, strides, padding: odd sizes, strides and paddings. */
type ConvCase = [string, number[], number[], number | [number, number], 'same' | 'valid'];

const CONV_CASES: ConvCase[] = [
  ['3×3 same stride 1', [2, 7, 9, 3], [3, 3, 3, 5], 1, 'same'],
  ['3×3 valid stride 2 odd size', [3, 11, 8, 2], [3, 3, 2, 4], 2, 'valid'],
  ['5×3 same stride 2', [1, 9, 10, 4], [5, 3, 4, 3], 2, 'same'],
  ['1×1 stride 1', [2, 5, 5, 6], [1, 1, 6, 7], 1, 'valid'],
  ['3×3 same strides 2×1', [2, 13, 6, 3], [3, 3, 3, 2], [2, 1], 'same'],
  ['7×7 same stride 3', [1, 17, 15, 2], [7, 7, 2, 3], 3, 'same'],
];

/** Runs a kernel on the cpu backend directly, leaving the active backend alone. */
async function cpuKernel(
  name: string,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): Promise<Float32Array> {
  const cpu = tf.findBackend('cpu') as tf.KernelBackend;
  const kernel = tf.getKernel(name, 'cpu');
  if (!kernel) throw new Error(`no cpu kernel ${name}`);
  const cpuInputs: Record<string, tf.TensorInfo> = {};
  for (const [key, tensor] of Object.entries(inputs)) {
    const dataId = cpu.write(await tensor.data(), tensor.shape, 'float32');
    cpuInputs[key] = { dataId, shape: tensor.shape, dtype: 'float32' };
  }
  const output = kernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs: attrs as tf.NamedAttrMap });
  return cpu.readSync((output as tf.TensorInfo).dataId) as Float32Array;
}

/**
 * Runs `kernel` on the active backend and on cpu; disposes the inputs. Reads are asynchronous: a
 * GPU backend has no synchronous read in Node.
 */
export async function compareWithCpu(
  kernel: string,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): Promise<{ shape: number[]; maxAbsDifference: number }> {
  const actual = tf.engine().runKernel(kernel, inputs, attrs as never) as tf.Tensor;
  const values = await actual.data();
  const expected = await cpuKernel(kernel, inputs, attrs);
  let worst = values.length === expected.length ? 0 : Number.POSITIVE_INFINITY;
  for (let index = 0; index < values.length; index++)
    worst = Math.max(worst, Math.abs((values[index] as number) - (expected[index] as number)));
  const shape = actual.shape;
  tf.dispose([actual, ...Object.values(inputs)]);
  return { shape, maxAbsDifference: worst };
}

export interface ConvGradientCheck {
  convCase: ConvCase;
  depthwise: boolean;
  gradient: 'filter' | 'input';
}

/** Every case for the filter and input gradients of full and depthwise convolutions, with a label. */
export const CONV_GRADIENT_CHECKS: [string, ConvGradientCheck][] = CONV_CASES.flatMap((convCase) =>
  [false, true].flatMap((depthwise) =>
    (['filter', 'input'] as const).map((gradient): [string, ConvGradientCheck] => [
      `${depthwise ? 'depthwise' : 'full'} convolution ${gradient} gradient, ${convCase[0]}`,
      { convCase, depthwise, gradient },
    ]),
  ),
);

/**
 * Runs one gradient check with seeded random inputs (the depthwise filter is [h, w, in, 1]): the
 * shape the active backend gave, the one expected, and the largest difference from cpu.
 */
export async function runConvGradientCheck({ convCase, depthwise, gradient }: ConvGradientCheck) {
  const [, inputShape, filterShape, strides, pad] = convCase;
  const filter = depthwise
    ? [filterShape[0] as number, filterShape[1] as number, inputShape[3] as number, 1]
    : filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape as never,
    filter as never,
    strides,
    1,
    pad,
    undefined,
    depthwise,
  );
  const dy = tf.randomNormal(
    [info.batchSize, info.outHeight, info.outWidth, info.outChannels],
    0,
    1,
    'float32',
    2,
  );
  const attrs = { strides, pad, dilations: 1, dataFormat: 'NHWC', dimRoundingMode: undefined };
  const result =
    gradient === 'filter'
      ? await compareWithCpu(
          depthwise ? tf.DepthwiseConv2dNativeBackpropFilter : tf.Conv2DBackpropFilter,
          { x: tf.randomNormal(inputShape, 0, 1, 'float32', 1), dy },
          { ...attrs, filterShape: filter },
        )
      : await compareWithCpu(
          depthwise ? tf.DepthwiseConv2dNativeBackpropInput : tf.Conv2DBackpropInput,
          { dy, filter: tf.randomNormal(filter, 0, 1, 'float32', 3) },
          { ...attrs, inputShape },
        );
  return { ...result, expectedShape: gradient === 'filter' ? filter : inputShape };
}

/** Tensor and buffer counts after `steps` conv-gradient steps, and before them (after a warm-up). */
export function memoryAcrossGradientSteps(steps: number) {
  const x = tf.randomNormal([2, 9, 9, 3]) as tf.Tensor4D;
  const filter = tf.variable(tf.randomNormal([3, 3, 3, 4]) as tf.Tensor4D);
  const step = () =>
    tf.tidy(() =>
      tf
        .variableGrads(() => tf.conv2d(x, filter, 2, 'same').square().sum() as tf.Scalar)
        .grads[filter.name]?.sum(),
    );
  tf.dispose(step());
  const before = tf.memory();
  for (let index = 0; index < steps; index++) tf.dispose(step());
  const after = tf.memory();
  tf.dispose([x, filter]);
  return { before, after };
}
