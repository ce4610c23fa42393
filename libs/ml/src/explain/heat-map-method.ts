import type * as tf from '@tensorflow/tfjs';
import type { CamMethod, ClassActivationOptions } from './grad-cam';

/**
 * How heat maps are made: the method and how many blocks it fuses, ending `skip` blocks before the
 * manifest's `gradCamLayer` (0: at it).
 */
export interface HeatMapMethod {
  method: CamMethod;
  blocks: number;
  skip?: number;
}

/**
 * The explainer's heat maps, chosen by the pointing game (bench/src/pointing-game.bench.ts: both
 * renderers, three plot types, the trainer's default recipe, frame, stats box and legend ignored):
 * Layer-CAM fused over hydra-cnn's first two blocks put the peak on the fault in 72 % [69, 76] of
 * 654 faulty plots; over the first three blocks 73 % [69, 76] at 1.2–1.5× the time, all four 72 %,
 * the first block alone 65 %, Grad-CAM on the last block 24 %. Measured with models fine-tuned
 * from Hydra's bundled base (`--train 240 --test 120 --ignore frame`, seed 1); from random weights
 * the two-block fusion had the edge (65 % against 61 % for four). The deep blocks' coarse maps miss
 * single hot cells and bars. What no method finds is a runaway trigger bit (classic renderer 0 of
 * 56, `--misses` draws them): on an auto-scaled axis the model's evidence is the rest of the bars,
 * squashed, and every method (signed or absolute evidence, contrasted with Good) agrees on that.
 * Architectures whose early layers are not a plain chain to the output get the earliest block the
 * chain reaches.
 */
export const DEFAULT_HEAT_MAP_METHOD: HeatMapMethod = { method: 'layer-cam', blocks: 2, skip: 2 };

/** `layer-cam over 2 blocks`: how a heat map was made, for whoever reads it. */
export function describeHeatMapMethod({ method, blocks, skip = 0 }: HeatMapMethod): string {
  const fused = blocks === 1 ? method : `${method} over ${blocks} blocks`;
  return skip ? `${fused}, ${skip} short of the last` : fused;
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
  { method, blocks, skip = 0 }: HeatMapMethod,
  classIndex?: number,
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
  return { method, layers, ...(classIndex === undefined ? {} : { classIndex }) };
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
