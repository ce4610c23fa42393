import * as tf from '@tensorflow/tfjs';
import {
  compareWithCpu,
  CONV_GRADIENT_CHECKS,
  memoryAcrossGradientSteps,
  runConvGradientCheck,
} from '../testing/kernel-reference';
import { initialiseBackend } from './tensorflow-backend';

describe('wasm gradient kernels', () => {
  beforeAll(async () => {
    expect(await initialiseBackend('wasm')).toBe('wasm');
  });

  it.each(CONV_GRADIENT_CHECKS)('%s equals the cpu kernel', async (_label, check) => {
    const { shape, expectedShape, maxAbsDifference } = await runConvGradientCheck(check);
    expect(shape).toEqual(expectedShape);
    expect(maxAbsDifference).toBeLessThan(1e-4);
  });

  it.each([
    // name, input NHWC, pool size, strides, padding
    ['2×2 stride 2, odd size', [2, 9, 7, 3], 2, 2, 'valid'],
    ['3×3 stride 2 same, overlapping', [1, 10, 11, 4], 3, 2, 'same'],
    ['3×2 strides 1×2 same', [2, 6, 9, 2], [3, 2], [1, 2], 'same'],
  ] as const)(
    'MaxPoolGrad equals the cpu kernel: %s',
    async (_name, inputShape, filterSize, strides, pad) => {
      // Rounded values make ties, which both kernels must break the same way.
      const input = tf.randomNormal([...inputShape], 0, 2, 'float32', 4).round();
      const output = tf.maxPool(input as tf.Tensor4D, filterSize as never, strides as never, pad);
      const dy = tf.randomNormal(output.shape, 0, 1, 'float32', 5);
      const attrs = { filterSize, strides, pad, dimRoundingMode: undefined };
      const result = await compareWithCpu(tf.MaxPoolGrad, { dy, input, output }, attrs);
      expect(result.shape).toEqual(inputShape);
      expect(result.maxAbsDifference).toBeLessThan(1e-4);
    },
  );

  it('leaks neither tensors nor wasm buffers across gradient steps', () => {
    const { before, after } = memoryAcrossGradientSteps(5);
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
  });
});
