import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { fillOnHeap } from './kernel-tensors';

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * MaxPoolGrad for wasm, one pass in JavaScript: each window's dy goes to the first position holding
 * the window's maximum (the `cpu` kernel's rule). The stock wasm kernel took a tenth of a training step.
 */
export const maxPoolGradient: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input, output } = inputs as Record<'dy' | 'input' | 'output', tf.TensorInfo>;
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as PoolAttrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, padInfo } = info;
    // The forward pass's output holds each window's maximum: searching for the first position equal to
    // it costs one unpredictable branch per window, where a running maximum costs one per element.
    return fillOnHeap(backend as BackendWasm, input.shape, [input, output, dy], (dx, x, maxima, gradient) => {
      dx.fill(0);
      let outIndex = 0;
      for (let image = 0; image < batchSize; image++) {
        for (let outRow = 0; outRow < outHeight; outRow++) {
          const rowStart = outRow * info.strideHeight - padInfo.top;
          const firstRow = Math.max(rowStart, 0);
          const rowEnd = Math.min(inHeight, rowStart + info.filterHeight);
          for (let outColumn = 0; outColumn < outWidth; outColumn++) {
            const columnStart = outColumn * info.strideWidth - padInfo.left;
            const firstColumn = Math.max(columnStart, 0);
            const columnEnd = Math.min(inWidth, columnStart + info.filterWidth);
            for (let channel = 0; channel < channels; channel++, outIndex++) {
              const maximum = maxima[outIndex] as number;
              search: for (let row = firstRow; row < rowEnd; row++) {
                let index = ((image * inHeight + row) * inWidth + firstColumn) * channels + channel;
                for (let column = firstColumn; column < columnEnd; column++, index += channels) {
                  if (x[index] === maximum) {
                    dx[index] = (dx[index] as number) + (gradient[outIndex] as number);
                    break search;
                  }
                }
              }
            }
          }
        }
      }
    });
  },
};
