import type { ModelArchitecture, TrainingEstimate, TrainingOptions } from '@hydra/contracts';

/**
 * Seconds to train on one image (forward and backward, batch 16 or 4, wasm backend on one core) at
 * the architecture's own input, on the project's 2-core reference machine: `npm run bench:ml`.
 * Convolution cost grows with the pixels; MobileNet's with α² besides.
 */
const REFERENCE: Record<ModelArchitecture, { height: number; width: number; secondsPerImage: number }> = {
  'hydra-cnn': { height: 72, width: 96, secondsPerImage: 0.0115 },
  'mobilenet-v2': { height: 224, width: 224, secondsPerImage: 0.41 },
  'inception-v3': { height: 299, width: 299, secondsPerImage: 2.3 },
};

/** The trainer's split (dataset-builder.ts): 70 % trained on, 15 % validated with a forward pass (a third of the cost). */
const EPOCH_SHARE = 0.7 + 0.15 / 3;

/** The trainer's cap on hydra-cnn's default input, which otherwise follows the plot's own size (training-options.ts). */
const HYDRA_CNN_MAX_PIXELS = 144 * 192;

/**
 * The estimate for a request over the plot type's defaults. `nativeSize` is the plot type's images'
 * size, when it has any: without an input named, hydra-cnn trains at it (scaled to its pixel cap).
 */
export function estimateTraining(
  defaults: TrainingOptions,
  requested: TrainingOptions,
  images: number,
  nativeSize?: { height: number; width: number },
): TrainingEstimate {
  const architecture = requested.architecture ?? defaults.architecture ?? 'hydra-cnn';
  const reference = REFERENCE[architecture];
  const input = requested.input ?? defaults.input ?? defaultInput(architecture, nativeSize);
  const alpha =
    architecture === 'mobilenet-v2' ? (requested.widthMultiplier ?? defaults.widthMultiplier ?? 1) : 1;
  const secondsPerImage =
    (reference.secondsPerImage * alpha * alpha * input.height * input.width) /
    (reference.height * reference.width);
  return {
    architecture,
    input,
    images,
    secondsPerImage: round(secondsPerImage),
    secondsPerEpoch: round(secondsPerImage * images * EPOCH_SHARE),
  };
}

function defaultInput(
  architecture: ModelArchitecture,
  nativeSize: { height: number; width: number } | undefined,
): { height: number; width: number } {
  const { height, width } = REFERENCE[architecture];
  if (architecture !== 'hydra-cnn' || !nativeSize) return { height, width };
  const scale = Math.min(1, Math.sqrt(HYDRA_CNN_MAX_PIXELS / (nativeSize.height * nativeSize.width)));
  return { height: Math.round(nativeSize.height * scale), width: Math.round(nativeSize.width * scale) };
}

/** Three significant digits: the measurement is no better. */
const round = (value: number) => Number(value.toPrecision(3));
