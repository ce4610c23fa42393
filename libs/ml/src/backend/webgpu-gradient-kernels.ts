import { registerKernels } from './kernel-tensors';
import { opFilterGradientKernels, opInputGradientKernels } from './op-gradient-kernels';

/**
 * tfjs-backend-webgpu computes each filter-gradient weight in one thread looping over the whole
 * batch, and each input-gradient value as a direct convolution: a GPU trained no faster than a
 * 2-core CPU. Rebuilt from slices, matrix products (split-K where the output is small) and conv2d.
 */
export function registerWebGpuGradientKernels(): void {
  registerKernels([...opInputGradientKernels('webgpu'), ...opFilterGradientKernels('webgpu')]);
}
