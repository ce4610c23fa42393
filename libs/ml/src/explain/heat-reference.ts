import * as tf from '@tensorflow/tfjs';
import {
  batchesOf,
  exampleSource,
  type ExampleSource,
  prefetchBatches,
  type TrainingData,
} from '../training/example-source';
import { type InputShape, inputPixels, modelInput } from '../preprocessing/image-input';

/**
 * What a heat map measures evidence from: per layer, the mean activation over one class's training
 * plots (Good). Heat then falls where a plot differs from the usual plot of its type, not on what
 * every plot shows (the tallest bar of a fixed pattern, a peak that is always there).
 */
export interface HeatReference {
  /** The class whose plots were averaged. */
  label: string;
  /** How many plots were averaged. */
  count: number;
  /** Where they were the ones nearest the plot explained: how many plots of the class they were chosen from. */
  of?: number;
  layers: HeatReferenceLayer[];
}

export interface HeatReferenceLayer {
  name: string;
  /** [height, width, channels] of the layer's output. */
  shape: number[];
  values: Float32Array;
}

/** Images whose activations are summed at once. */
const BATCH = 32;

/**
 * The mean activations of `layers` over the examples of class `classIndex` (named `label`), read a
 * batch at a time; null where there are none (a reference of nothing would be all zeros anyway).
 */
export async function heatReference(
  model: tf.LayersModel,
  layers: readonly string[],
  data: TrainingData,
  classIndex: number,
  label: string,
): Promise<HeatReference | null> {
  const source = exampleSource(data);
  const chosen = indicesOf(source, classIndex);
  if (!chosen.length) return null;
  const features = tf.model({
    inputs: model.inputs,
    outputs: layers.map((name) => model.getLayer(name).output as tf.SymbolicTensor),
  });
  const [height, width, channels] = model.inputs[0]?.shape.slice(1) as [number, number, number];
  let sums: tf.Tensor[] = [];
  for await (const { inputs } of prefetchBatches(source, batchesOf(chosen, BATCH))) {
    const batch = new Float32Array(inputs.length * (inputs[0] as Float32Array).length);
    inputs.forEach((input, index) => batch.set(input, index * input.length));
    const added = tf.tidy(() => {
      const outputs = features.predict(tf.tensor4d(batch, [inputs.length, height, width, channels]));
      return (Array.isArray(outputs) ? outputs : [outputs]).map((output, index) => {
        const sum = output.sum(0);
        return sums[index] ? sum.add(sums[index] as tf.Tensor) : sum;
      });
    });
    tf.dispose(sums);
    sums = added;
  }
  const means = await Promise.all(
    sums.map(async (sum) => {
      const mean = sum.div(chosen.length);
      const values = (await mean.data()) as Float32Array;
      mean.dispose();
      return values;
    }),
  );
  const result = {
    label,
    count: chosen.length,
    layers: layers.map((name, index) => ({
      name,
      shape: (sums[index] as tf.Tensor).shape,
      values: means[index] as Float32Array,
    })),
  };
  tf.dispose(sums);
  return result;
}

/** The examples of class `classIndex` that train (weight above 0). */
function indicesOf(source: ExampleSource, classIndex: number): number[] {
  return source.labels.flatMap((value, index) =>
    value === classIndex && (source.weights?.[index] ?? 1) > 0 ? [index] : [],
  );
}

/** `reference` where it holds every one of `layers`, else undefined (a model saved before, or other layers). */
export function referenceFor(
  reference: HeatReference | null | undefined,
  layers: readonly string[],
): HeatReference | undefined {
  return reference && layers.every((name) => reference.layers.some((layer) => layer.name === name))
    ? reference
    : undefined;
}

/**
 * Training plots of the reference class kept with a model, so a heat map can be measured from the
 * plots most like the one explained (nearestReference) rather than from the mean of all: where
 * plots of a type come in several looks (palettes, log or linear axes), the mean of all is a blur
 * of them, and heat falls on the look instead of the fault. Each is kept as its letterboxed 8-bit
 * pixels, a quarter of its model input's float32 bytes (an eighth with the median residual), and
 * made a model input again (modelInput) when compared. A model whose input has a Good reference
 * compares every plot with them too (ReferencePlots).
 */
export interface HeatExemplars {
  label: string;
  /** How many plots of the class there were; `pixels` is an even spread of at most MAX_HEAT_EXEMPLARS. */
  of: number;
  /** The model input the pixels are made into. */
  input: InputShape;
  /** Each plot's pixels, height × width × channels. */
  pixels: Uint8Array[];
}

/** At most this many plots are kept, and at most HEAT_EXEMPLAR_BYTES of their pixels. */
export const MAX_HEAT_EXEMPLARS = 256;
export const HEAT_EXEMPLAR_BYTES = 16 * 2 ** 20;

/**
 * An even spread of class `classIndex`'s examples (named `label`, model inputs of `input`), at most
 * MAX_HEAT_EXEMPLARS and HEAT_EXEMPLAR_BYTES of pixels; null where there are none.
 */
export async function heatExemplars(
  data: TrainingData,
  classIndex: number,
  label: string,
  input: InputShape,
): Promise<HeatExemplars | null> {
  const source = exampleSource(data);
  const chosen = indicesOf(source, classIndex);
  const limit = Math.max(
    1,
    Math.min(
      MAX_HEAT_EXEMPLARS,
      Math.floor(HEAT_EXEMPLAR_BYTES / (input.height * input.width * input.channels)),
    ),
  );
  if (!chosen.length) return null;
  const spread =
    chosen.length <= limit
      ? chosen
      : Array.from(
          { length: limit },
          (_, index) => chosen[Math.floor((index * chosen.length) / limit)] as number,
        );
  const pixels: Uint8Array[] = [];
  for await (const batch of prefetchBatches(source, batchesOf(spread, BATCH)))
    pixels.push(...batch.inputs.map((values) => inputPixels(values, input)));
  return { label, of: chosen.length, input, pixels };
}

/**
 * The reference of `layers` for one plot: the mean activations of the `nearest` exemplars closest to
 * `input` (squared distance between their pixels), so heat falls where this plot differs from plots
 * that look like it.
 */
export async function nearestReference(
  model: tf.LayersModel,
  layers: readonly string[],
  exemplars: HeatExemplars,
  input: Float32Array,
  nearest: number,
): Promise<HeatReference | null> {
  const explained = inputPixels(input, exemplars.input);
  const distances = exemplars.pixels.map((pixels, index) => {
    let sum = 0;
    for (let position = 0; position < pixels.length; position++)
      sum += ((pixels[position] as number) - (explained[position] as number)) ** 2;
    return { sum, index };
  });
  const closest = distances
    .sort((a, b) => a.sum - b.sum)
    .slice(0, nearest)
    .map(({ index }) => modelInput(exemplars.pixels[index] as Uint8Array, exemplars.input, exemplars.pixels));
  const reference = await heatReference(
    model,
    layers,
    { inputs: closest, labels: closest.map(() => 0) },
    0,
    exemplars.label,
  );
  return reference && { ...reference, of: exemplars.of };
}
