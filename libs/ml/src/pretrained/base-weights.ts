import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { InputShape } from '../preprocessing/image-input';

/**
 * A base model's weights: what a new model starts from instead of random weights. Its blocks fit
 * any input size (convolutions, batch normalisation and pooling); its head (`classes`) is Good
 * against Bad, and gives a new model's Good and Bad outputs their start, while its other classes
 * (NoData…) start fresh.
 */
export interface BaseWeights {
  description: BaseDescription;
  /** Of the weights file: which base a model started from, recorded with it. */
  sha256: string;
  /** Each layer's weights in the layer's own order (a conv's kernel; a batch norm's γ, β, mean, variance; the head's kernel and bias). */
  layers: Map<string, tf.Tensor[]>;
}

const baseDescription = z.object({
  format: z.literal('hydra-base-weights/1'),
  architecture: z.literal('hydra-cnn'),
  /** The head's outputs, in order. */
  labels: z.array(z.string().min(1)).min(1),
  /** How the base was made: data, recipe, validation accuracy (see pretrainBase). */
  provenance: z.record(z.string(), z.unknown()),
  weights: z.array(
    z.object({
      name: z.string().regex(/^[\w-]+\/\d+$/),
      shape: z.array(z.number().int().positive()),
      dtype: z.literal('float32'),
    }),
  ),
});
export type BaseDescription = z.infer<typeof baseDescription>;

/** The base every hydra-cnn trains from by default, shipped with this package (`npx hydra pretrain` remakes it). */
export const BUNDLED_BASE = join(__dirname, '..', '..', 'base', 'hydra-cnn-plots');

const HEAD = 'classes';

/** The layers of `model` a base sets as they are: every one with weights before the head (`classes`). */
export function baseLayerNames(model: tf.LayersModel): string[] {
  return model.layers
    .filter((layer) => layer.name !== HEAD && layer.getWeights().length > 0)
    .map((layer) => layer.name);
}

/** `<path>.json` (the description) and `<path>.bin` (float32 weights, little-endian, in the description's order). */
export async function saveBaseWeights(
  model: tf.LayersModel,
  labels: readonly string[],
  path: string,
  provenance: Record<string, unknown>,
): Promise<void> {
  const named = [...baseLayerNames(model), HEAD].flatMap((layer) =>
    model
      .getLayer(layer)
      .getWeights()
      .map((tensor, index) => ({ name: `${layer}/${index}`, tensor })),
  );
  const { data, specs } = await tf.io.encodeWeights(named);
  const description: BaseDescription = {
    format: 'hydra-base-weights/1',
    architecture: 'hydra-cnn',
    labels: [...labels],
    provenance,
    weights: specs.map(({ name, shape }) => ({ name, shape, dtype: 'float32' })),
  };
  await writeFile(`${path}.json`, `${JSON.stringify(description, null, 2)}\n`);
  await writeFile(`${path}.bin`, new Uint8Array(data as ArrayBuffer));
}

/** Reads a base written by saveBaseWeights; a file that does not match its description is an error. */
export async function loadBaseWeights(path: string): Promise<BaseWeights> {
  const description = baseDescription.parse(JSON.parse(await readFile(`${path}.json`, 'utf8')));
  const bytes = await readFile(`${path}.bin`);
  const expected = description.weights.reduce((sum, { shape }) => sum + 4 * size(shape), 0);
  if (bytes.byteLength !== expected)
    throw new Error(`${path}.bin holds ${bytes.byteLength} bytes, its description ${expected}`);
  const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const decoded = tf.io.decodeWeights(data, description.weights);
  const layers = new Map<string, tf.Tensor[]>();
  for (const { name } of description.weights) {
    const [layer, index] = name.split('/') as [string, string];
    const list = layers.get(layer) ?? [];
    list[Number(index)] = decoded[name] as tf.Tensor;
    layers.set(layer, list);
  }
  return { description, sha256: createHash('sha256').update(bytes).digest('hex'), layers };
}

/**
 * Sets every block of `model` to the base's weights, and the head's output for each of `labels`
 * the base has (Good, Bad) to the base's; its other outputs keep their fresh weights. A model whose
 * blocks differ from the base's (another architecture or filters) is an error, not a partial copy;
 * a first convolution fed more channels than the base's takes the base's for the image's (widenedInput).
 */
export function applyBaseWeights(model: tf.LayersModel, base: BaseWeights, labels: readonly string[]): void {
  const names = baseLayerNames(model);
  const missing = names.filter((name) => !base.layers.has(name));
  const extra = [...base.layers.keys()].filter((name) => name !== HEAD && !names.includes(name));
  if (missing.length || extra.length)
    throw new Error(
      `the base does not fit this model: ${[...missing.map((name) => `no weights for ${name}`), ...extra.map((name) => `no layer ${name}`)].join(', ')}`,
    );
  for (const name of names) {
    const weights = base.layers.get(name) as tf.Tensor[];
    const widened = widenedInput(model, name, weights);
    setWeights(model, name, widened ?? weights);
    if (widened) tf.dispose(widened);
  }
  const [kernel, bias] = model.getLayer(HEAD).getWeights() as [tf.Tensor, tf.Tensor];
  const [baseKernel, baseBias] = base.layers.get(HEAD) as [tf.Tensor, tf.Tensor];
  const [features, classes] = kernel.shape as [number, number];
  if (labels.length !== classes || baseKernel.shape[0] !== features)
    throw new Error(
      `the base's head reads ${baseKernel.shape[0]} features, the model's ${features} for ${classes} outputs (${labels.join(', ')})`,
    );
  const [kernelValues, biasValues] = [kernel.dataSync().slice(), bias.dataSync().slice()];
  const [baseKernelValues, baseBiasValues] = [baseKernel.dataSync(), baseBias.dataSync()];
  const baseClasses = base.description.labels.length;
  labels.forEach((label, output) => {
    const from = base.description.labels.indexOf(label);
    if (from < 0) return;
    for (let feature = 0; feature < features; feature++)
      kernelValues[feature * classes + output] = baseKernelValues[feature * baseClasses + from] as number;
    biasValues[output] = baseBiasValues[from] as number;
  });
  const head = [tf.tensor(kernelValues, kernel.shape), tf.tensor(biasValues, bias.shape)];
  setWeights(model, HEAD, head);
  tf.dispose(head); // the layer copied them; kernel and bias are its own variables
}

/**
 * The base's first convolution for a model fed more input channels than the base (the image's
 * median residual after its colours): the base's kernel for the image's channels, the model's
 * fresh one for the rest. Null for every other layer, which must fit as it is.
 */
function widenedInput(model: tf.LayersModel, name: string, weights: tf.Tensor[]): tf.Tensor[] | null {
  const [kernel] = weights;
  const [fresh] = model.getLayer(name).getWeights();
  if (weights.length !== 1 || !kernel || !fresh || kernel.rank !== 4 || fresh.rank !== 4) return null;
  const [height, width, channels, filters] = kernel.shape as [number, number, number, number];
  const wider = fresh.shape[2] as number;
  const readsTheInput = model.inputs[0]?.shape[3] === wider;
  if (!readsTheInput || wider <= channels || !sameShape([height, width, wider, filters], fresh.shape))
    return null;
  return [tf.tidy(() => tf.concat([kernel, fresh.slice([0, 0, channels, 0], [-1, -1, -1, -1])], 2))];
}

function setWeights(model: tf.LayersModel, name: string, weights: tf.Tensor[]): void {
  const layer = model.getLayer(name);
  const wanted = layer.getWeights().map((weight) => weight.shape);
  if (weights.length !== wanted.length || weights.some((weight, i) => !sameShape(weight.shape, wanted[i])))
    throw new Error(
      `the base's ${name} has shapes ${weights.map((weight) => weight.shape.join('×')).join(', ')}, the model's ${wanted.map((shape) => shape.join('×')).join(', ')}`,
    );
  layer.setWeights(weights);
}

/** Which base a model started from: its weights' sha256 and how well it told Good from Bad when it was made. */
export interface BaseStart {
  sha256: string;
  validationAccuracyPct: unknown;
}

/**
 * Whether a new hydra-cnn asked to start from the base does for `input`: not where it has a Good
 * reference. The base never saw that residual, and from it the model stopped at epoch 5 with 19 of
 * 33 rim hot cells caught where random weights trained on to 30 (matplotlib occupancy, seed 2,
 * bench/src/accuracy.bench.ts).
 */
export function baseFits(input: InputShape): boolean {
  return !input.goodReference;
}

/** Sets a fresh `model` (outputs `labels`) to the base at `path` (the bundled one by default); a model they do not fit is disposed and an error. */
export async function startFromBase(
  model: tf.LayersModel,
  labels: readonly string[],
  path = BUNDLED_BASE,
): Promise<BaseStart> {
  const base = await loadBaseWeights(path);
  try {
    applyBaseWeights(model, base, labels);
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    disposeBaseWeights(base);
  }
  return { sha256: base.sha256, validationAccuracyPct: base.description.provenance.validationAccuracyPct };
}

export function disposeBaseWeights(base: BaseWeights): void {
  for (const weights of base.layers.values()) tf.dispose(weights);
}

function size(shape: readonly number[]): number {
  return shape.reduce((product, side) => product * side, 1);
}

function sameShape(a: readonly number[], b: readonly number[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((side, index) => side === b[index]);
}
