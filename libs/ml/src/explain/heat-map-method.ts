import type * as tf from '@tensorflow/tfjs';
import type { CamMethod, ClassActivationOptions } from './grad-cam';

/** How heat maps are made: the method and how many blocks, ending at the manifest's `gradCamLayer`, it fuses. */
export interface HeatMapMethod {
  method: CamMethod;
  blocks: number;
}

/**
 * The explainer's heat maps, chosen by the pointing game (bench/src/pointing-game.bench.ts, both
 * renderers, three plot types, plot frame ignored): Layer-CAM fused over hydra-cnn's four blocks put
 * the peak on the fault in 56 % [52, 59] of 654 faulty plots, Grad-CAM on the last block in 33 %.
 */
export const DEFAULT_HEAT_MAP_METHOD: HeatMapMethod = { method: 'layer-cam', blocks: 4 };

/** `layer-cam over 2 blocks`: how a heat map was made, for whoever reads it. */
export function describeHeatMapMethod({ method, blocks }: HeatMapMethod): string {
  return blocks === 1 ? method : `${method} over ${blocks} blocks`;
}

/**
 * The class activation options for a model: `gradCamLayer` and the outputs of up to `blocks - 1`
 * earlier layers of the same kind (block1_relu … of hydra-cnn), as far back as the rest of the
 * model is a plain chain the score can be recomputed along (residual or branched parts end it).
 */
export function heatMapOptions(
  model: tf.LayersModel,
  gradCamLayer: string,
  { method, blocks }: HeatMapMethod,
  classIndex?: number,
): ClassActivationOptions {
  const last = model.layers.findIndex((layer) => layer.name === gradCamLayer);
  if (last < 0) throw new Error(`model ${model.name} has no layer "${gradCamLayer}"`);
  const kind = model.layers[last]?.getClassName();
  const layers = [gradCamLayer];
  for (let index = last - 1; index > 0 && layers.length < blocks; index--) {
    if (!chained(model.layers[index + 1] as tf.layers.Layer, model.layers[index] as tf.layers.Layer)) break;
    const layer = model.layers[index] as tf.layers.Layer;
    if (layer.getClassName() === kind) layers.unshift(layer.name);
  }
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
