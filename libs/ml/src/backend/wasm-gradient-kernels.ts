import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { filterGradientArgs } from './conv-geometry';
import { channelsFirstPatches } from './im2col';
import { aliasResult, fillOnHeap, fromInfo, registerKernels } from './kernel-tensors';
import { maxPoolGradient } from './max-pool-gradient';
import { opInputGradientKernels } from './op-gradient-kernels';

/**
 * Gradient kernels the stock wasm backend lacks (Conv2DBackpropFilter) or runs slowly (the rest):
 * input gradients as convolutions XNNPACK runs, filter gradients from patches copied in JavaScript
 * on the wasm heap. They lean on tfjs internals: tfjs is pinned exactly, and every kernel is checked
 * against the `cpu` backend's in the tests.
 */
export function registerWasmGradientKernels(): void {
  registerKernels([
    ...opInputGradientKernels('wasm'),
    conv2dBackpropFilter,
    depthwiseBackpropFilter,
    maxPoolGradient,
  ]);
}

const conv2dBackpropFilter: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { x, dy, filterShape, info } = filterGradientArgs(args, false);
    const wasm = args.backend as BackendWasm;
    return aliasResult(wasm, () => {
      const input = fromInfo(wasm, x) as tf.Tensor4D;
      // dW = im2col(x)ᵀ · dy. The patches are built already transposed, [taps × channels, positions],
      // from a channels-first copy of x: XNNPACK multiplies that 5–10× faster than with transposeA.
      const patches = channelsFirstPatches(wasm, input.transpose([3, 0, 1, 2]), info);
      const rows = info.batchSize * info.outHeight * info.outWidth;
      return tf.matMul(patches, fromInfo(wasm, dy).reshape([rows, info.outChannels])).reshape(filterShape);
    });
  },
};

const depthwiseBackpropFilter: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { x, dy, filterShape, info } = filterGradientArgs(args, true);
    // dW[tap, c] = Σ x(tap)·dy over batch and positions, accumulated per output position in one pass
    // of JavaScript: per-tap strided slices cost 60 % of a MobileNet step.
    const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, padInfo } = info;
    const sums = new Float64Array(info.filterHeight * info.filterWidth * channels);
    return fillOnHeap(args.backend as BackendWasm, filterShape, [x, dy], (output, input, gradient) => {
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
