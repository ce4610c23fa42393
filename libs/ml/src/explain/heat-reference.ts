import * as tf from '@tensorflow/tfjs';
import { batchesOf, exampleSource, prefetchBatches, type TrainingData } from '../training/example-source';

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
  const chosen = source.labels.flatMap((value, index) =>
    value === classIndex && (source.weights?.[index] ?? 1) > 0 ? [index] : [],
  );
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

/** `reference` where it holds every one of `layers`, else undefined (a model saved before, or other layers). */
export function referenceFor(
  reference: HeatReference | null | undefined,
  layers: readonly string[],
): HeatReference | undefined {
  return reference && layers.every((name) => reference.layers.some((layer) => layer.name === name))
    ? reference
    : undefined;
}
