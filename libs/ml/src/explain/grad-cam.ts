import * as tf from '@tensorflow/tfjs';
import type { InputShape } from '../preprocessing/image-input';

export interface GradCamResult {
  /** Heat over the model input, row-major, normalised to [0, 1]. */
  heat: Float32Array;
  height: number;
  width: number;
  classIndex: number;
  probabilities: number[];
}

/**
 * Grad-CAM: which parts of the last convolutional block's output raised the class score. The score
 * is taken before the softmax, which saturates on confident verdicts. The layers after `layerName`
 * must form a chain (true of every model in the zoo: global pooling, then the classifier).
 */
export async function gradCam(
  model: tf.LayersModel,
  input: Float32Array,
  shape: InputShape,
  layerName: string,
  classIndex?: number,
): Promise<GradCamResult> {
  const targetIndex = model.layers.findIndex((layer) => layer.name === layerName);
  if (targetIndex < 0) throw new Error(`model ${model.name} has no layer "${layerName}"`);
  const features = tf.model({
    inputs: model.inputs,
    outputs: model.layers[targetIndex]?.output as tf.SymbolicTensor,
  });
  const head = model.layers.slice(targetIndex + 1);
  const logits = (value: tf.Tensor) =>
    head.reduce(
      (current, layer, index) =>
        index === head.length - 1 ? linearPart(layer, current) : (layer.apply(current) as tf.Tensor),
      value,
    );
  // Read asynchronously: a GPU backend (webgpu) has no synchronous read in Node.
  const [activation, softmax] = tf.tidy(() => {
    const values = features.predict(
      tf.tensor4d(input, [1, shape.height, shape.width, shape.channels]),
    ) as tf.Tensor4D;
    return [values, tf.softmax(logits(values))];
  });
  try {
    const probabilities = Array.from(await softmax.data());
    const chosen = classIndex ?? probabilities.indexOf(Math.max(...probabilities));
    const normalised = tf.tidy(() => {
      // A one-hot product rather than gather: gather's gradient needs UnsortedSegmentSum, which wasm lacks.
      const selector = tf.oneHot([chosen], probabilities.length);
      const gradients = tf.grad((value: tf.Tensor) => logits(value).mul(selector).sum())(activation);
      const channelWeights = gradients.mean([1, 2], true);
      const cam = tf.relu(activation.mul(channelWeights).sum(3, true)) as tf.Tensor4D;
      const resized = tf.image.resizeBilinear(cam, [shape.height, shape.width]);
      const peak = resized.max();
      return tf.where(peak.greater(0), resized.div(peak), resized);
    });
    const heat = (await normalised.data()) as Float32Array;
    normalised.dispose();
    return { heat, height: shape.height, width: shape.width, classIndex: chosen, probabilities };
  } finally {
    tf.dispose([activation, softmax]);
  }
}

/** The last layer without its softmax (Dense only), so gradients do not vanish on confident verdicts. */
function linearPart(layer: tf.layers.Layer, value: tf.Tensor): tf.Tensor {
  const config = layer.getConfig() as { activation?: string };
  if (layer.getClassName() !== 'Dense' || config.activation !== 'softmax')
    return layer.apply(value) as tf.Tensor;
  const [kernel, bias] = layer.getWeights() as [tf.Tensor2D, tf.Tensor1D | undefined];
  const product = tf.matMul(value as tf.Tensor2D, kernel);
  return bias ? product.add(bias) : product;
}

/** The heat map's peak as input pixel coordinates. */
export function heatPeak(result: Pick<GradCamResult, 'heat' | 'width'>): { x: number; y: number } {
  let best = 0;
  result.heat.forEach((value, index) => {
    if (value > (result.heat[best] as number)) best = index;
  });
  return { x: best % result.width, y: Math.floor(best / result.width) };
}
