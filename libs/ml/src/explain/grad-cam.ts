import * as tf from '@tensorflow/tfjs';
import { type InputShape, modelChannels } from '../preprocessing/image-input';
import type { HeatReference } from './heat-reference';

/**
 * How a layer's activations and the class score's gradients become heat: `grad-cam` weighs each
 * channel by its mean gradient (coarse, one weight per channel); `grad-cam++` weighs the positive
 * gradients by their higher-order share, so several instances of a class all light up; `layer-cam`
 * weighs every position by its own positive gradient, which stays faithful on early, finer layers.
 */
export const CAM_METHODS = ['grad-cam', 'grad-cam++', 'layer-cam'] as const;
export type CamMethod = (typeof CAM_METHODS)[number];

export interface GradCamResult {
  /** Heat over the model input, row-major, normalised to [0, 1]. */
  heat: Float32Array;
  height: number;
  width: number;
  classIndex: number;
  probabilities: number[];
}

export interface ClassActivationOptions {
  method: CamMethod;
  /** Layers whose maps are fused (geometric mean); each must be followed by a chain of layers. */
  layers: readonly string[];
  /** The class explained; by default the most probable one. */
  classIndex?: number;
  /**
   * A class the explained one is contrasted with ("why Bad rather than Good?"): the score is the
   * difference of their logits, so heat also falls where the plot stops looking like that class.
   */
  contrastIndex?: number;
  /** Activations the evidence is measured from, holding every one of `layers`; zero without. */
  reference?: HeatReference;
}

/** Grad-CAM on one layer (the manifest's `gradCamLayer`): the classic coarse heat map. */
export function gradCam(
  model: tf.LayersModel,
  input: Float32Array,
  shape: InputShape,
  layerName: string,
  classIndex?: number,
): Promise<GradCamResult> {
  return classActivationMap(model, input, shape, { method: 'grad-cam', layers: [layerName], classIndex });
}

/**
 * Which parts of the chosen layers' outputs raised the class score. The score is taken before the
 * softmax, which saturates on confident verdicts. Several layers are fused by a geometric mean of
 * their normalised maps: the deep layer says which region, the earlier ones sharpen where in it.
 */
export async function classActivationMap(
  model: tf.LayersModel,
  input: Float32Array,
  shape: InputShape,
  { method, layers, classIndex, contrastIndex, reference }: ClassActivationOptions,
): Promise<GradCamResult> {
  if (!layers.length) throw new Error('a class activation map needs at least one layer');
  const indices = layers.map((name) => {
    const index = model.layers.findIndex((layer) => layer.name === name);
    if (index < 0) throw new Error(`model ${model.name} has no layer "${name}"`);
    return index;
  });
  const features = tf.model({
    inputs: model.inputs,
    outputs: indices.map((index) => model.layers[index]?.output as tf.SymbolicTensor),
  });
  const logitsFrom = (index: number) => (value: tf.Tensor) => {
    const head = model.layers.slice(index + 1);
    return head.reduce(
      (current, layer, position) =>
        position === head.length - 1 ? linearPart(layer, current) : (layer.apply(current) as tf.Tensor),
      value,
    );
  };
  const deepest = indices.indexOf(Math.max(...indices));
  // Read asynchronously: a GPU backend (webgpu) has no synchronous read in Node.
  const [activations, softmax] = tf.tidy(() => {
    const predicted = features.predict(
      tf.tensor4d(input, [1, shape.height, shape.width, modelChannels(shape)]),
    );
    const values = (Array.isArray(predicted) ? predicted : [predicted]) as tf.Tensor4D[];
    return [values, tf.softmax(logitsFrom(indices[deepest] as number)(values[deepest] as tf.Tensor4D))];
  });
  try {
    const probabilities = Array.from(await softmax.data());
    const chosen = classIndex ?? probabilities.indexOf(Math.max(...probabilities));
    const fused = tf.tidy(() => {
      // A one-hot product rather than gather: gather's gradient needs UnsortedSegmentSum, which wasm lacks.
      const selected = tf.oneHot([chosen], probabilities.length);
      const selector =
        contrastIndex === undefined || contrastIndex === chosen
          ? selected
          : selected.sub(tf.oneHot([contrastIndex], probabilities.length));
      const maps = activations.map((activation, position) => {
        const score = (value: tf.Tensor) =>
          logitsFrom(indices[position] as number)(value)
            .mul(selector)
            .sum();
        const gradients = tf.grad(score)(activation) as tf.Tensor4D;
        const name = layers[position] as string;
        const cam = layerMap(
          method,
          reference ? fromReference(activation, reference, name) : activation,
          gradients,
        );
        return normalised(tf.image.resizeBilinear(cam as tf.Tensor4D, [shape.height, shape.width]));
      });
      if (maps.length === 1) return maps[0] as tf.Tensor;
      return normalised(tf.exp(tf.addN(maps.map((map) => tf.log(map.add(1e-6)))).div(maps.length)));
    });
    const heat = (await fused.data()) as Float32Array;
    fused.dispose();
    return { heat, height: shape.height, width: shape.width, classIndex: chosen, probabilities };
  } finally {
    tf.dispose([...activations, softmax]);
  }
}

/** How far `activation` lies from the reference's mean for layer `name`. */
function fromReference(activation: tf.Tensor4D, reference: HeatReference, name: string): tf.Tensor4D {
  const layer = reference.layers.find((candidate) => candidate.name === name);
  const [, ...shape] = activation.shape;
  if (!layer) throw new Error(`the heat reference has no layer "${name}"`);
  if (layer.shape.join('×') !== shape.join('×') || layer.values.length !== shape.reduce((a, b) => a * b))
    throw new Error(
      `the heat reference of layer "${name}" is ${layer.shape.join('×')}, its output ${shape.join('×')}`,
    );
  return activation.sub(tf.tensor4d(layer.values, [1, ...shape] as [number, number, number, number]));
}

/** One layer's map, [1, h, w, 1], before resizing. */
function layerMap(method: CamMethod, activation: tf.Tensor4D, gradients: tf.Tensor4D): tf.Tensor {
  if (method === 'layer-cam') return tf.relu(activation.mul(tf.relu(gradients)).sum(3, true));
  if (method === 'grad-cam') return tf.relu(activation.mul(gradients.mean([1, 2], true)).sum(3, true));
  // Grad-CAM++ (Chattopadhay et al. 2018) with the exponential of the score, whose higher
  // derivatives are powers of the first: α = g² / (2g² + Σ A · g³).
  const squared = gradients.square();
  const denominator = squared.mul(2).add(activation.sum([1, 2], true).mul(squared.mul(gradients)));
  const alpha = tf.where(denominator.notEqual(0), squared.div(denominator), tf.zerosLike(denominator));
  const weights = alpha.mul(tf.relu(gradients)).sum([1, 2], true);
  return tf.relu(activation.mul(weights).sum(3, true));
}

/** Scaled to a peak of 1 (an all-zero map stays zero). */
function normalised(map: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const peak = map.max();
    return tf.where(peak.greater(0), map.div(peak), map);
  });
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
