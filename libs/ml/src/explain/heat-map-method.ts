import type * as tf from '@tensorflow/tfjs';
import type { InputShape } from '../preprocessing/image-input';
import type { TrainingData } from '../training/example-source';
import type { CamMethod, ClassActivationOptions } from './grad-cam';
import {
  type HeatExemplars,
  heatExemplars,
  type HeatReference,
  nearestReference,
  referenceFor,
} from './heat-reference';

/**
 * How heat maps are made: the method and how many blocks it fuses, ending `skip` blocks before the
 * manifest's `gradCamLayer` (0: at it), and the class whose mean activations (a HeatReference the
 * trainer stores with the model) the evidence is measured from; from zero without one.
 */
export interface HeatMapMethod {
  method: CamMethod;
  blocks: number;
  skip?: number;
  reference?: string;
  /**
   * Where the model kept plots of the `reference` class (HeatExemplars): the reference is the mean
   * over this many of them nearest the plot explained, not over all.
   */
  nearest?: number;
  /**
   * The class every other is explained against ("why Bad rather than Good?"): the score is the
   * difference of their logits. Not applied when that class itself is explained, or is not the model's.
   */
  contrast?: string;
}

/** What a heat map explains: the class (by default the most probable) among the model's labels. */
export interface ExplainedClass {
  classIndex?: number;
  /** The model's classes, in output order: where a `contrast` class is looked up. */
  labels?: readonly string[];
}

/**
 * The explainer's heat maps, chosen by the pointing game (bench/src/pointing-game.bench.ts: both
 * renderers, three plot types, the trainer's default recipe from Hydra's bundled base, frame, stats
 * box and legend ignored; `--train 240 --test 120 --ignore frame`, seeds 1–3): Layer-CAM fused
 * over hydra-cnn's first three blocks, each block's activations taken as their difference from the
 * mean over the 8 Good training plots nearest the plot explained, and the score as the verdict's
 * logit less Good's ("why Bad rather than Good?"), put the peak on the fault in 558 of 654 faulty
 * plots at seed 1, 515 of 624 at seed 2 and 546 of 636 at seed 3 (84.6 %). From the mean of all
 * Good plots 538, 497 and 523: on the ROOT style, whose plots each have a look of their own, the
 * mean of all is a blur of the looks (89–90 % against 82–83 %). Without the contrast as well 536,
 * 491 and 522; over the first two blocks 523 and 490 (seeds 1, 2); from zero (plain Layer-CAM) the
 * fusions scored 72–73 %, Grad-CAM on the last block 24 %. Plain Layer-CAM lit what every plot of
 * the type shows (the tallest bar of a fixed trigger menu, a peak's usual place) as much as what
 * this one lacks. What is still missed most is a runaway bit on the classic renderer's auto-scaled
 * axis (4 of 171): the model's evidence is the rest of the bars, squashed (`--misses` draws them).
 * Architectures whose early layers are not a plain chain to the output get the earliest block the
 * chain reaches.
 */
export const DEFAULT_HEAT_MAP_METHOD: HeatMapMethod = {
  method: 'layer-cam',
  blocks: 3,
  skip: 1,
  reference: 'Good',
  nearest: 8,
  contrast: 'Good',
};

/**
 * `layer-cam over 3 blocks, 1 short of the last, against Good, from the mean of 120 Good plots`: how
 * a heat map was made, for whoever reads it; `reference` is the one it was measured from and
 * `contrasted` the class it was explained against, if any.
 */
export function describeHeatMapMethod(
  { method, blocks, skip = 0 }: HeatMapMethod,
  reference?: Pick<HeatReference, 'label' | 'count' | 'of'>,
  contrasted?: string,
): string {
  const fused = blocks === 1 ? method : `${method} over ${blocks} blocks`;
  const parts = [
    skip ? `${fused}, ${skip} short of the last` : fused,
    ...(contrasted ? [`against ${contrasted}`] : []),
    ...(reference
      ? [
          reference.of === undefined
            ? `from the mean of ${reference.count} ${reference.label} plots`
            : `from the mean of the ${reference.count} nearest of ${reference.of} ${reference.label} plots`,
        ]
      : []),
  ];
  return parts.join(', ');
}

/**
 * The class activation options for a model: of `gradCamLayer` and the earlier layers of the same
 * kind (block1_relu … of hydra-cnn), as far back as the rest of the model is a plain chain the score
 * can be recomputed along (residual or branched parts end it), `blocks` layers after skipping the
 * `skip` deepest; where the chain is shorter, the earliest it reaches.
 */
export function heatMapOptions(
  model: tf.LayersModel,
  gradCamLayer: string,
  { method, blocks, skip = 0, contrast }: HeatMapMethod,
  { classIndex, labels = [] }: ExplainedClass = {},
): ClassActivationOptions {
  const last = model.layers.findIndex((layer) => layer.name === gradCamLayer);
  if (last < 0) throw new Error(`model ${model.name} has no layer "${gradCamLayer}"`);
  const kind = model.layers[last]?.getClassName();
  const deepestFirst = [gradCamLayer];
  for (let index = last - 1; index > 0 && deepestFirst.length < skip + blocks; index--) {
    if (!chained(model.layers[index + 1] as tf.layers.Layer, model.layers[index] as tf.layers.Layer)) break;
    const layer = model.layers[index] as tf.layers.Layer;
    if (layer.getClassName() === kind) deepestFirst.push(layer.name);
  }
  const layers = deepestFirst.slice(Math.min(skip, deepestFirst.length - 1), skip + blocks).reverse();
  const contrastIndex = contrast === undefined ? -1 : labels.indexOf(contrast);
  return {
    method,
    layers,
    ...(classIndex !== undefined && { classIndex }),
    ...(contrastIndex >= 0 && { contrastIndex }),
  };
}

/**
 * What the explainer's heat maps (DEFAULT_HEAT_MAP_METHOD) of a trained model are measured from,
 * stored with it: an even spread of the reference class's training plots (`labels` names the
 * classes of `train`), from which each map takes the `nearest`; a bounded read, whatever the number
 * of labeled images. Null where there is no such class or plot.
 */
export async function defaultHeatExemplars(
  labels: readonly string[],
  train: TrainingData,
  input: InputShape,
): Promise<HeatExemplars | null> {
  const label = DEFAULT_HEAT_MAP_METHOD.reference;
  const classIndex = label === undefined ? -1 : labels.indexOf(label);
  if (label === undefined || classIndex < 0) return null;
  return heatExemplars(train, classIndex, label, input);
}

/**
 * What DEFAULT_HEAT_MAP_METHOD measures the heat map of `input` from: the mean of the exemplars
 * nearest it where the model kept some, else the mean over all its Good plots that a model trained
 * before exemplars were kept stores, where it holds every one of `layers` (models trained before
 * either are explained from zero).
 */
export async function defaultReferenceFor(
  model: tf.LayersModel,
  layers: readonly string[],
  input: Float32Array,
  stored: { heatReference: HeatReference | null; heatExemplars: HeatExemplars | null },
): Promise<HeatReference | undefined> {
  const { nearest } = DEFAULT_HEAT_MAP_METHOD;
  if (nearest && stored.heatExemplars)
    return (await nearestReference(model, layers, stored.heatExemplars, input, nearest)) ?? undefined;
  return referenceFor(stored.heatReference, layers);
}

/** Whether `next` reads only `previous`, and `previous` feeds only `next`. */
function chained(next: tf.layers.Layer, previous: tf.layers.Layer): boolean {
  const inbound = next.inboundNodes;
  return (
    inbound.length === 1 &&
    inbound[0]?.inboundLayers.length === 1 &&
    inbound[0].inboundLayers[0] === previous &&
    previous.outboundNodes.length === 1
  );
}
