import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** A Tensor over a kernel input; the backend's reference count keeps the input alive when it is disposed. */
export function fromInfo(backend: BackendWasm, info: tf.TensorInfo): tf.Tensor {
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * Runs ordinary ops inside a kernel and hands their result to the engine without a copy: the
 * backend keeps the buffer alive (incRef) while the temporary tensors are disposed.
 */
export function aliasResult(backend: BackendWasm, compute: () => tf.Tensor): tf.TensorInfo {
  const result = tf.tidy(compute);
  backend.incRef(result.dataId);
  const output = { dataId: result.dataId, shape: result.shape, dtype: result.dtype };
  result.dispose();
  return output;
}
