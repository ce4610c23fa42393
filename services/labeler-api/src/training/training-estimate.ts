import {
  crossValidationFolds,
  DEFAULT_CROSS_VALIDATION_FOLDS,
  hydraCnnPlotInput,
  inputCandidates,
  type ModelArchitecture,
  type TrainingEstimate,
  type TrainingOptions,
} from '@hydra/contracts';

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

/**
 * A cross-validation round trains on all but two of its k folds and validates on one (a third of the
 * cost): over its k rounds, (k − 2 + 1/3) times the labeled images per epoch.
 */
const foldEpochShare = (folds: number) => folds - 2 + 1 / 3;

/**
 * The estimate for a request over the plot type's defaults. `imagesPerClass`: the labeled images the
 * run draws from, per class (whether it cross-validates depends on them). `nativeSize` is the plot
 * type's images' size, when it has any: without an input named, hydra-cnn trains at it (scaled to
 * its pixel cap).
 */
export function estimateTraining(
  defaults: TrainingOptions,
  requested: TrainingOptions,
  imagesPerClass: number[],
  nativeSize?: { height: number; width: number },
): TrainingEstimate {
  const images = imagesPerClass.reduce((sum, count) => sum + count, 0);
  const architecture = requested.architecture ?? defaults.architecture ?? 'hydra-cnn';
  const reference = REFERENCE[architecture];
  const input = requested.input ?? defaults.input ?? defaultInput(architecture, nativeSize);
  const alpha =
    architecture === 'mobilenet-v2' ? (requested.widthMultiplier ?? defaults.widthMultiplier ?? 1) : 1;
  const secondsPerImage =
    (reference.secondsPerImage * alpha * alpha * input.height * input.width) /
    (reference.height * reference.width);
  const fineTune = requested.parentModelId !== undefined;
  const folds = crossValidationFolds(
    {
      folds:
        requested.crossValidationFolds ?? defaults.crossValidationFolds ?? DEFAULT_CROSS_VALIDATION_FOLDS,
      fineTune,
    },
    imagesPerClass,
  );
  const candidates = inputCandidates(
    architecture,
    {
      medianResidual: requested.medianResidual ?? defaults.medianResidual,
      goodReference: requested.goodReference ?? defaults.goodReference,
    },
    fineTune,
  ).length;
  return {
    architecture,
    input,
    images,
    secondsPerImage: round(secondsPerImage),
    secondsPerEpoch: round(secondsPerImage * images * EPOCH_SHARE * candidates),
    candidates,
    crossValidation:
      folds > 0 ? { folds, secondsPerEpoch: round(secondsPerImage * images * foldEpochShare(folds)) } : null,
  };
}

function defaultInput(
  architecture: ModelArchitecture,
  nativeSize: { height: number; width: number } | undefined,
): { height: number; width: number } {
  const { height, width } = REFERENCE[architecture];
  return architecture === 'hydra-cnn' && nativeSize ? hydraCnnPlotInput(nativeSize) : { height, width };
}

/** Three significant digits: the measurement is no better. */
const round = (value: number) => Number(value.toPrecision(3));
