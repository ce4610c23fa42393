import * as tf from '@tensorflow/tfjs';

/** What a training step may take of the wasm heap, which ends at 4 GiB: growth and fragmentation need the rest. */
const WASM_TRAINING_BYTES = 3 * 2 ** 30;
/**
 * Heap per activation value of one image in a training step: the output, its gradient and the
 * kernels' scratch. Measured heap growth per image, over 4-byte activations: hydra-cnn 3.7,
 * MobileNetV2 3.2, Inception-v3 3.4; 4 × 4 bytes leaves a margin.
 */
const BYTES_PER_ACTIVATION = 16;
/** Per parameter: weights, gradients, their running sum, two optimizer slots and the best weights. */
const BYTES_PER_PARAMETER = 24;

/**
 * The most images one forward and backward pass of `model` may hold on the current backend, up to
 * `batchSize`. Only wasm has a hard ceiling (its 4 GiB heap; running out fails deep inside a
 * kernel, minutes into a run); elsewhere the whole batch goes at once.
 */
export function microBatchSize(model: tf.LayersModel, batchSize: number, backend = tf.getBackend()): number {
  if (backend !== 'wasm') return batchSize;
  const activations = model.layers.reduce((sum, layer) => {
    const shapes = (
      Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]
    ) as number[][];
    return sum + shapes.reduce((size, shape) => size + shape.slice(1).reduce((a, b) => a * b, 1), 0);
  }, 0);
  const room = WASM_TRAINING_BYTES - BYTES_PER_PARAMETER * model.countParams();
  return Math.max(1, Math.min(batchSize, Math.floor(room / (BYTES_PER_ACTIVATION * activations))));
}
