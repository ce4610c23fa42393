import * as tf from '@tensorflow/tfjs';

type LayerArgs = Parameters<typeof tf.layers.conv2d>[0];

/** tfjs-layers does not export the class itself; its factory's instances carry it. */
const StockConv2D = Object.getPrototypeOf(tf.layers.conv2d({ filters: 1, kernelSize: 1 }))
  .constructor as new (args: LayerArgs) => tf.layers.Layer;

/** The stock layer's state, private in its typings; tfjs is pinned exactly. */
interface Conv2DState {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  strides: [number, number];
  padding: 'same' | 'valid';
  dataFormat: string;
  dilationRate: [number, number];
  activation: { getClassName(): string };
}

/**
 * tfjs-layers' Conv2D, training through the plain conv2d op: the stock layer's fused op computes the
 * input's gradient on every step, even the first layer's, which nothing reads (7 % of a hydra-cnn
 * step); the plain op's gradients are computed only where the tape needs them. Inference, and
 * configurations hydra-cnn does not use, take the stock path.
 */
class Conv2D extends StockConv2D {
  static className = 'Conv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const state = this as unknown as Conv2DState;
    const plain =
      kwargs['training'] === true &&
      state.bias === null &&
      state.activation.getClassName() === 'linear' &&
      state.dataFormat === 'channelsLast' &&
      state.dilationRate.every((rate) => rate === 1);
    if (!plain) return super.call(inputs, kwargs);
    const input = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.conv2d(input, state.kernel.read() as tf.Tensor4D, state.strides, state.padding);
  }
}
// Registered under the stock name: models saved with it (or without it) load into this class.
tf.serialization.registerClass(
  Conv2D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);

export function conv2d(args: LayerArgs): tf.layers.Layer {
  return new Conv2D(args);
}
