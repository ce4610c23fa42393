import {
  compareWithCpu,
  CONV_CASES,
  convGradientCase,
  memoryAcrossGradientSteps,
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

  describe.each([
    ['full', false],
    ['depthwise', true],
  ])('%s convolution', (_kind, depthwise) => {
    it.each(CONV_CASES)(
      'filter gradient equals the cpu kernel: %s',
      async (...convCase) => {
        const gradient = convGradientCase(convCase, depthwise);
        const result = await compareWithCpu(
          gradient.filterKernel,
          gradient.filterInputs(),
          gradient.filterAttrs,
        );
        expect(result.shape).toEqual(gradient.filterShape);
        expect(result.maxAbsDifference).toBeLessThan(1e-4);
      },
      60_000,
    );

    it.each(CONV_CASES)(
      'input gradient equals the cpu kernel: %s',
      async (...convCase) => {
        const gradient = convGradientCase(convCase, depthwise);
        const result = await compareWithCpu(
          gradient.inputKernel,
          gradient.inputInputs(),
          gradient.inputAttrs,
        );
        expect(result.shape).toEqual(gradient.inputShape);
        expect(result.maxAbsDifference).toBeLessThan(1e-4);
      },
      60_000,
    );
  });

  it('leaks no tensors across gradient steps', () => {
    const { before, after } = memoryAcrossGradientSteps(3);
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
  }, 60_000);
});
