import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** A Tensor over a kernel input; the backend's reference count keeps the input alive when it is disposed. */
export function fromInfo(backend: tf.KernelBackend, info: tf.TensorInfo): tf.Tensor {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * Runs ordinary ops inside a kernel and hands their result to the engine without a copy: the
 * backend keeps the buffer alive (incRef) while the temporary tensors are disposed.
 */
export function aliasResult(backend: tf.KernelBackend, compute: () => tf.Tensor): tf.TensorInfo {
  const result = tf.tidy(compute);
  backend.incRef(result.dataId);
  const output = { dataId: result.dataId, shape: result.shape, dtype: result.dtype };
  result.dispose();
  return output;
}

/**
 * A new float32 buffer of `shape` filled by `fill` in JavaScript, straight on the wasm heap: `fill`
 * gets views of the output and of `sources` (taken after the allocation, which may grow the heap
 * and detach older views) and must write every output element.
 */
export function fillOnHeap(
  backend: BackendWasm,
  shape: number[],
  sources: tf.TensorInfo[],
  fill: (output: Float32Array, ...inputs: Float32Array[]) => void,
): tf.TensorInfo {
  const output = backend.makeOutput(shape, 'float32');
  fill(
    backend.typedArrayFromHeap(output) as Float32Array,
    ...sources.map((source) => backend.typedArrayFromHeap(source) as Float32Array),
  );
  return output;
}

/** Registers kernels, replacing any the backend already has under the same names. */
export function registerKernels(configs: tf.KernelConfig[]): void {
  for (const config of configs) {
    if (tf.getKernel(config.kernelName, config.backendName))
      tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
}
