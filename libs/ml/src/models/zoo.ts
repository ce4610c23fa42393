import type * as tf from '@tensorflow/tfjs';
import type { InputShape } from '../preprocessing/image-input';
import { HYDRA_CNN_GRADCAM_LAYER, hydraCnn } from './hydra-cnn';
import { INCEPTION_V3_GRADCAM_LAYER, inceptionV3 } from './inception-v3';
import { MOBILENET_V2_GRADCAM_LAYER, mobileNetV2 } from './mobilenet-v2';

export type Architecture = 'hydra-cnn' | 'mobilenet-v2' | 'inception-v3';

export interface ModelSpec {
  architecture: Architecture;
  input: InputShape;
  classes: number;
  /** MobileNetV2's α. */
  widthMultiplier?: number;
  seed?: number;
}

/** The input each architecture is designed for, when a request names none. */
export const DEFAULT_INPUT: Record<Architecture, { height: number; width: number }> = {
  'hydra-cnn': { height: 72, width: 96 },
  'mobilenet-v2': { height: 224, width: 224 },
  'inception-v3': { height: 299, width: 299 },
};

/** A fresh, untrained model of the zoo and the layer its Grad-CAM reads. */
export function buildModel(spec: ModelSpec): { model: tf.LayersModel; gradCamLayer: string } {
  const { input, classes, seed } = spec;
  switch (spec.architecture) {
    case 'hydra-cnn':
      return { model: hydraCnn({ input, classes, seed }), gradCamLayer: HYDRA_CNN_GRADCAM_LAYER() };
    case 'mobilenet-v2':
      return {
        model: mobileNetV2({ input, classes, seed, alpha: spec.widthMultiplier }),
        gradCamLayer: MOBILENET_V2_GRADCAM_LAYER,
      };
    case 'inception-v3':
      return { model: inceptionV3({ input, classes, seed }), gradCamLayer: INCEPTION_V3_GRADCAM_LAYER };
  }
}
