import {
  CONV_GRADIENT_CHECKS,
  memoryAcrossGradientSteps,
  runConvGradientCheck,
} from '../testing/kernel-reference';
import { initialiseBackend } from './tensorflow-backend';

/**
 * Hydra's WebGPU gradient kernels against the cpu reference. Without a GPU this runs on Mesa's
 * lavapipe (Vulkan on the CPU, mesa-vulkan-drivers ≥ 23 — .ci/run installs it): the numbers, not the
 * speed, are what is checked here; the speed is measured on a GPU machine by the ml benchmark.
 */
describe('webgpu gradient kernels', () => {
  beforeAll(async () => {
    expect(await initialiseBackend('webgpu')).toBe('webgpu');
  }, 60_000);

  it.each(CONV_GRADIENT_CHECKS)(
    '%s equals the cpu kernel',
    async (_label, check) => {
      const { shape, expectedShape, maxAbsDifference } = await runConvGradientCheck(check);
      expect(shape).toEqual(expectedShape);
      expect(maxAbsDifference).toBeLessThan(1e-4);
    },
    60_000,
  );

  it('leaks no tensors across gradient steps', () => {
    const { before, after } = memoryAcrossGradientSteps(3);
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
  }, 60_000);
});
