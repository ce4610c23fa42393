import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { fillOnHeap } from './kernel-tensors';

/**
 * The patches of a convolution laid out [taps × channels, positions] from a channels-first
 * [C, N, H, W] input: row (tap, c) holds, for every output position, the input value that filter tap
 * meets there (zero in the padding). Copied row by row in JavaScript — XNNPACK has no im2col, and
 * building it from strided slices cost more than the matrix product it feeds.
 */
export function channelsFirstPatches(
  backend: BackendWasm,
  channelsFirst: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor2D {
  const [channels, batch, height, width] = channelsFirst.shape;
  const { filterHeight, filterWidth, outHeight, outWidth, strideHeight, strideWidth, padInfo } = info;
  const positions = batch * outHeight * outWidth;
  const shape = [filterHeight * filterWidth * channels, positions];
  const patches = fillOnHeap(backend, shape, [channelsFirst], (values, input) => {
    const heap = new Float32Array(values.buffer);
    const outputStart = values.byteOffset / Float32Array.BYTES_PER_ELEMENT;
    const inputStart = input.byteOffset / Float32Array.BYTES_PER_ELEMENT;
    let row = 0;
    for (let tapRow = 0; tapRow < filterHeight; tapRow++) {
      for (let tapColumn = 0; tapColumn < filterWidth; tapColumn++) {
        const offset = tapColumn - padInfo.left;
        // Output columns whose input column lies inside the image.
        const first = Math.min(outWidth, Math.max(0, Math.ceil(-offset / strideWidth)));
        const last = Math.max(first, Math.min(outWidth, Math.floor((width - 1 - offset) / strideWidth) + 1));
        for (let channel = 0; channel < channels; channel++, row++) {
          for (let image = 0; image < batch; image++) {
            const plane = (channel * batch + image) * height;
            for (let outRow = 0; outRow < outHeight; outRow++) {
              const target = row * positions + (image * outHeight + outRow) * outWidth;
              const inRow = outRow * strideHeight + tapRow - padInfo.top;
              if (inRow < 0 || inRow >= height) {
                values.fill(0, target, target + outWidth);
                continue;
              }
              const source = (plane + inRow) * width + offset;
              values.fill(0, target, target + first);
              if (strideWidth === 1) {
                // Both are views of the wasm heap: copy within it, without a subarray per row.
                heap.copyWithin(
                  outputStart + target + first,
                  inputStart + source + first,
                  inputStart + source + last,
                );
              } else {
                for (let column = first; column < last; column++)
                  values[target + column] = input[source + column * strideWidth] as number;
              }
              values.fill(0, target + last, target + outWidth);
            }
          }
        }
      }
    }
  });
  return tf.engine().makeTensorFromTensorInfo(patches) as tf.Tensor2D;
}
