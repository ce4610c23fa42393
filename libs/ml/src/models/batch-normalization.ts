import * as tf from '@tensorflow/tfjs';
import { batchNormInTraining } from '../backend/batch-norm-training';

type LayerArgs = Parameters<typeof tf.layers.batchNormalization>[0];

/** tfjs-layers does not export the class itself; its factory's instances carry it. */
const StockBatchNormalization = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor as new (
  args?: LayerArgs,
) => tf.layers.Layer;

/** The stock layer's state, private in its typings; tfjs is pinned exactly. */
interface BatchNormalizationState {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

/**
 * tfjs-layers' BatchNormalization, training through Hydra's fused kernel where the backend has one
 * (wasm); inference, other backends and unusual configurations take the stock path.
 */
class BatchNormalization extends StockBatchNormalization {
  static className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const state = this as unknown as BatchNormalizationState;
    const lastAxis = state.axis === -1 || state.axis === input.rank - 1;
    if (kwargs['training'] !== true || !lastAxis || !state.center || !state.scale)
      return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const fused = batchNormInTraining(
        input,
        state.gamma.read() as tf.Tensor1D,
        state.beta.read() as tf.Tensor1D,
        state.epsilon,
      );
      if (!fused) return super.call(inputs, kwargs) as tf.Tensor;
      const [normalised, mean, variance] = fused;
      // The stock layer's moving averages: moving ← moving − (moving − batch)·(1 − momentum).
      for (const [moving, batch] of [
        [state.movingMean, mean],
        [state.movingVariance, variance],
      ] as const) {
        const current = moving.read();
        moving.write(tf.sub(current, tf.mul(tf.sub(current, batch), 1 - state.momentum)));
      }
      return normalised;
    });
  }
}
// Registered under the stock name: models saved with it (or without it) load into this class.
tf.serialization.registerClass(
  BatchNormalization as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);

export function batchNormalization(args: LayerArgs): tf.layers.Layer {
  return new BatchNormalization(args);
}
