import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from './tensorflow-backend';

/** Runs a kernel on the cpu backend directly, leaving the global (wasm) backend alone. */
function cpuKernel(
  name: string,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): Float32Array {
  const cpu = tf.findBackend('cpu') as tf.KernelBackend;
  const kernel = tf.getKernel(name, 'cpu');
  if (!kernel) throw new Error(`no cpu kernel ${name}`);
  const cpuInputs = Object.fromEntries(
    Object.entries(inputs).map(([key, tensor]) => [
      key,
      {
        dataId: cpu.write(tensor.dataSync(), tensor.shape, 'float32'),
        shape: tensor.shape,
        dtype: 'float32' as const,
      },
    ]),
  );
  const output = kernel.kernelFunc({
    inputs: cpuInputs,
    backend: cpu,
    attrs: attrs as tf.NamedAttrMap,
  }) as tf.TensorInfo;
  return cpu.readSync(output.dataId) as Float32Array;
}

function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let index = 0; index < actual.length; index++)
    worst = Math.max(worst, Math.abs((actual[index] as number) - (expected[index] as number)));
  return worst;
}

type Case = [string, number[], number[], number | [number, number], 'same' | 'valid'];

const cases: Case[] = [
  // name, input NHWC, filter HWIO, strides, padding
  ['3×3 same stride 1', [2, 7, 9, 3], [3, 3, 3, 5], 1, 'same'],
  ['3×3 valid stride 2 odd size', [3, 11, 8, 2], [3, 3, 2, 4], 2, 'valid'],
  ['5×3 same stride 2', [1, 9, 10, 4], [5, 3, 4, 3], 2, 'same'],
  ['1×1 stride 1', [2, 5, 5, 6], [1, 1, 6, 7], 1, 'valid'],
  ['3×3 same strides 2×1', [2, 13, 6, 3], [3, 3, 3, 2], [2, 1], 'same'],
  ['7×7 same stride 3', [1, 17, 15, 2], [7, 7, 2, 3], 3, 'same'],
];

describe('wasm gradient kernels', () => {
  beforeAll(async () => {
    expect(await initialiseBackend('wasm')).toBe('wasm');
  });

  /** Runs one kernel on wasm and on cpu with the same inputs and compares. */
  function expectMatchesCpu(
    kernel: string,
    inputs: Record<string, tf.Tensor>,
    attrs: Record<string, unknown>,
    shape: number[],
  ) {
    const actual = tf.engine().runKernel(kernel, inputs, attrs as never) as tf.Tensor;
    expect(actual.shape).toEqual(shape);
    expect(maxAbsDifference(actual.dataSync(), cpuKernel(kernel, inputs, attrs))).toBeLessThan(1e-4);
    tf.dispose([actual, ...Object.values(inputs)]);
  }

  /** Random dy for a convolution of `inputShape` with `filterShape`. */
  function outputGradient(
    inputShape: number[],
    filterShape: number[],
    strides: Case[3],
    pad: Case[4],
    depthwise: boolean,
  ) {
    const info = tf.backend_util.computeConv2DInfo(
      inputShape as never,
      filterShape as never,
      strides,
      1,
      pad,
      undefined,
      depthwise,
    );
    return tf.randomNormal(
      [info.batchSize, info.outHeight, info.outWidth, info.outChannels],
      0,
      1,
      'float32',
      2,
    );
  }

  describe.each([
    ['full', tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput, false],
    ['depthwise', tf.DepthwiseConv2dNativeBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput, true],
  ] as const)('%s convolution', (_kind, filterKernel, inputKernel, depthwise) => {
    const shapeOf = (inputShape: number[], filterShape: number[]) =>
      depthwise
        ? [filterShape[0] as number, filterShape[1] as number, inputShape[3] as number, 1]
        : filterShape;
    const attrsOf = (strides: Case[3], pad: Case[4]) => ({
      strides,
      pad,
      dilations: 1,
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    });

    it.each(cases)(
      `${filterKernel} equals the cpu kernel: %s`,
      (_name, inputShape, filterShape, strides, pad) => {
        const filter = shapeOf(inputShape, filterShape);
        const x = tf.randomNormal(inputShape, 0, 1, 'float32', 1);
        const dy = outputGradient(inputShape, filter, strides, pad, depthwise);
        expectMatchesCpu(filterKernel, { x, dy }, { ...attrsOf(strides, pad), filterShape: filter }, filter);
      },
    );

    it.each(cases)(
      `${inputKernel} equals the cpu kernel: %s`,
      (_name, inputShape, filterShape, strides, pad) => {
        const filter = tf.randomNormal(shapeOf(inputShape, filterShape), 0, 1, 'float32', 3);
        const dy = outputGradient(inputShape, filter.shape, strides, pad, depthwise);
        expectMatchesCpu(inputKernel, { dy, filter }, { ...attrsOf(strides, pad), inputShape }, inputShape);
      },
    );
  });

  it.each([
    // name, input NHWC, pool size, strides, padding
    ['2×2 stride 2, odd size', [2, 9, 7, 3], 2, 2, 'valid'],
    ['3×3 stride 2 same, overlapping', [1, 10, 11, 4], 3, 2, 'same'],
    ['3×2 strides 1×2 same', [2, 6, 9, 2], [3, 2], [1, 2], 'same'],
  ] as const)('MaxPoolGrad equals the cpu kernel: %s', (_name, inputShape, filterSize, strides, pad) => {
    // Rounded values make ties, which both kernels must break the same way.
    const input = tf.randomNormal([...inputShape], 0, 2, 'float32', 4).round();
    const attrs = { filterSize, strides, pad, dimRoundingMode: undefined };
    const output = tf.maxPool(input as tf.Tensor4D, filterSize as never, strides as never, pad);
    const dy = tf.randomNormal(output.shape, 0, 1, 'float32', 5);
    expectMatchesCpu(tf.MaxPoolGrad, { dy, input, output }, attrs, [...inputShape]);
  });

  it('leaks neither tensors nor wasm buffers across gradient steps', () => {
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
    for (let index = 0; index < 5; index++) tf.dispose(step());
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([x, filter]);
  });
});
