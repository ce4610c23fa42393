import * as tf from '@tensorflow/tfjs';
import { filterGradientArgs, framedGradient, inputGradientArgs, padInput } from './conv-geometry';
import { aliasResult, fromInfo } from './kernel-tensors';

/**
 * Convolution gradients built from ordinary ops (slice, pad, matMul, conv2d), so that whatever a
 * backend does well — XNNPACK on wasm, tiled and split-K matrix products on WebGPU — does the
 * multiply-adds, instead of one thread looping over a whole batch per filter weight.
 */
export function opInputGradientKernels(backendName: string): tf.KernelConfig[] {
  return [
    {
      kernelName: tf.Conv2DBackpropInput,
      backendName,
      kernelFunc: (args) => {
        const backend = args.backend as tf.KernelBackend;
        const { dy, filter, info } = inputGradientArgs(args, false);
        return aliasResult(backend, () => {
          // dx is the full correlation of the zero-dilated dy with the filter turned 180° and transposed.
          const weights = fromInfo(backend, filter) as tf.Tensor4D;
          const turned = tf.reverse(weights, [0, 1]).transpose([0, 1, 3, 2]) as tf.Tensor4D;
          return tf.conv2d(framedGradient(fromInfo(backend, dy) as tf.Tensor4D, info), turned, 1, 'valid');
        });
      },
    },
    {
      kernelName: tf.DepthwiseConv2dNativeBackpropInput,
      backendName,
      kernelFunc: (args) => {
        const backend = args.backend as tf.KernelBackend;
        const { dy, filter, info } = inputGradientArgs(args, true);
        return aliasResult(backend, () => {
          const turned = tf.reverse(fromInfo(backend, filter), [0, 1]) as tf.Tensor4D;
          const framed = framedGradient(fromInfo(backend, dy) as tf.Tensor4D, info);
          return tf.depthwiseConv2d(framed, turned, 1, 'valid');
        });
      },
    },
  ];
}

/** Filter gradients from strided slices of the input and one matrix product (or reduction) per tap. */
export function opFilterGradientKernels(backendName: string): tf.KernelConfig[] {
  return [
    {
      kernelName: tf.Conv2DBackpropFilter,
      backendName,
      kernelFunc: (args) => {
        const backend = args.backend as tf.KernelBackend;
        const { x, dy, filterShape, info } = filterGradientArgs(args, false);
        return aliasResult(backend, () => {
          // dW = im2col(x)ᵀ · dy: the taps side by side, [positions, taps × channels], times dy.
          const taps = tapSlices(padInput(fromInfo(backend, x) as tf.Tensor4D, info), info);
          const rows = info.batchSize * info.outHeight * info.outWidth;
          const patches = tf.stack(taps, 3).reshape([rows, taps.length * info.inChannels]) as tf.Tensor2D;
          const gradient = fromInfo(backend, dy).reshape([rows, info.outChannels]) as tf.Tensor2D;
          return tf.matMul(patches, gradient, true, false).reshape(filterShape);
        });
      },
    },
    {
      kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
      backendName,
      kernelFunc: (args) => {
        const backend = args.backend as tf.KernelBackend;
        const { x, dy, filterShape, info } = filterGradientArgs(args, true);
        return aliasResult(backend, () => {
          // dW[tap, c] = Σ x(tap)·dy over batch and positions: one multiply-and-sum per filter tap.
          const gradient = fromInfo(backend, dy);
          const taps = tapSlices(padInput(fromInfo(backend, x) as tf.Tensor4D, info), info);
          return tf.stack(taps.map((tap) => tf.mul(tap, gradient).sum([0, 1, 2]))).reshape(filterShape);
        });
      },
    },
  ];
}

/** For each filter tap, the padded input values it meets at every output position: [N, outH, outW, C]. */
function tapSlices(padded: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D[] {
  const taps: tf.Tensor4D[] = [];
  for (let row = 0; row < info.filterHeight; row++) {
    for (let column = 0; column < info.filterWidth; column++) {
      const end = [
        info.batchSize,
        row + (info.outHeight - 1) * info.strideHeight + 1,
        column + (info.outWidth - 1) * info.strideWidth + 1,
        info.inChannels,
      ];
      const strides = [1, info.strideHeight, info.strideWidth, 1];
      taps.push(tf.stridedSlice(padded, [0, row, column, 0], end, strides) as tf.Tensor4D);
    }
  }
  return taps;
}
