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

const cases: [string, number[], number[], number | [number, number], 'same' | 'valid'][] = [
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

  it.each(cases)(
    'Conv2DBackpropFilter equals the cpu kernel: %s',
    (_name, inputShape, filterShape, strides, pad) => {
      const x = tf.randomNormal(inputShape, 0, 1, 'float32', 1);
      const info = tf.backend_util.computeConv2DInfo(
        inputShape as never,
        filterShape as never,
        strides,
        1,
        pad,
      );
      const dy = tf.randomNormal(
        [info.batchSize, info.outHeight, info.outWidth, info.outChannels],
        0,
        1,
        'float32',
        2,
      );
      const attrs = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape };
      const actual = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs as never) as tf.Tensor;
      expect(actual.shape).toEqual(filterShape);
      expect(
        maxAbsDifference(actual.dataSync(), cpuKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs)),
      ).toBeLessThan(1e-4);
      tf.dispose([x, dy, actual]);
    },
  );

  it.each(cases)(
    'Conv2DBackpropInput equals the cpu kernel: %s',
    (_name, inputShape, filterShape, strides, pad) => {
      const filter = tf.randomNormal(filterShape, 0, 1, 'float32', 3);
      const info = tf.backend_util.computeConv2DInfo(
        inputShape as never,
        filterShape as never,
        strides,
        1,
        pad,
      );
      const dy = tf.randomNormal(
        [info.batchSize, info.outHeight, info.outWidth, info.outChannels],
        0,
        1,
        'float32',
        4,
      );
      const attrs = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape };
      const actual = tf
        .engine()
        .runKernel(tf.Conv2DBackpropInput, { dy, filter }, attrs as never) as tf.Tensor;
      expect(actual.shape).toEqual(inputShape);
      expect(
        maxAbsDifference(actual.dataSync(), cpuKernel(tf.Conv2DBackpropInput, { dy, filter }, attrs)),
      ).toBeLessThan(1e-4);
      tf.dispose([filter, dy, actual]);
    },
  );

  it.each(cases)(
    'DepthwiseConv2dNativeBackpropFilter equals the cpu kernel: %s',
    (_name, inputShape, filterShape, strides, pad) => {
      const depthwiseShape = [filterShape[0], filterShape[1], inputShape[3], 1] as number[];
      const x = tf.randomNormal(inputShape, 0, 1, 'float32', 5);
      const info = tf.backend_util.computeConv2DInfo(
        inputShape as never,
        depthwiseShape as never,
        strides,
        1,
        pad,
        undefined,
        true,
      );
      const dy = tf.randomNormal(
        [info.batchSize, info.outHeight, info.outWidth, info.outChannels],
        0,
        1,
        'float32',
        6,
      );
      const attrs = { strides, pad, dilations: 1, dimRoundingMode: undefined, filterShape: depthwiseShape };
      const actual = tf
        .engine()
        .runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, attrs as never) as tf.Tensor;
      expect(actual.shape).toEqual(depthwiseShape);
      expect(
        maxAbsDifference(
          actual.dataSync(),
          cpuKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, attrs),
        ),
      ).toBeLessThan(1e-4);
      tf.dispose([x, dy, actual]);
    },
  );

  it.each(cases)(
    'DepthwiseConv2dNativeBackpropInput equals the cpu kernel: %s',
    (_name, inputShape, filterShape, strides, pad) => {
      const depthwiseShape = [filterShape[0], filterShape[1], inputShape[3], 1] as number[];
      const filter = tf.randomNormal(depthwiseShape, 0, 1, 'float32', 7);
      const info = tf.backend_util.computeConv2DInfo(
        inputShape as never,
        depthwiseShape as never,
        strides,
        1,
        pad,
        undefined,
        true,
      );
      const dy = tf.randomNormal(
        [info.batchSize, info.outHeight, info.outWidth, info.outChannels],
        0,
        1,
        'float32',
        8,
      );
      const attrs = { strides, pad, dilations: 1, dimRoundingMode: undefined, inputShape };
      const actual = tf
        .engine()
        .runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, attrs as never) as tf.Tensor;
      expect(actual.shape).toEqual(inputShape);
      expect(
        maxAbsDifference(
          actual.dataSync(),
          cpuKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, attrs),
        ),
      ).toBeLessThan(1e-4);
      tf.dispose([filter, dy, actual]);
    },
  );

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
