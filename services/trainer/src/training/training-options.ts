import {
  DEFAULT_CROSS_VALIDATION_FOLDS,
  hydraCnnPlotInput,
  inputCandidates,
  type TrainingOptions,
  trainingOptions,
} from '@hydra/contracts';
import {
  type Architecture,
  DEFAULT_GOOD_REFERENCE,
  DEFAULT_INPUT,
  DEFAULT_MEDIAN_RESIDUAL,
  type InputShape,
  type TrainingOptions as TrainModelOptions,
} from '@hydra/ml';

/** Every setting of a training run, after the request, the plot type's defaults and the architecture's. */
export interface ResolvedTrainingOptions {
  architecture: Architecture;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: 'sgd' | 'adam';
  balancing: 'resample' | 'weighted-loss';
  parentModelId: string | null;
  /** hydra-cnn's first weights (see startFrom in trainingOptions); `scratch` for the other architectures and fine-tunes. */
  startFrom: 'base' | 'scratch';
  /**
   * One input per candidate model (inputCandidates): the same size, without and with a residual
   * where the trainer chooses by validation loss; the run keeps one candidate.
   */
  inputs: InputShape[];
  widthMultiplier: number;
  patience: number;
  seed: number;
  learningRateDecay: TrainModelOptions['learningRateDecay'] | null;
  augmentation: TrainModelOptions['augmentation'] | null;
  /** k of the k-fold cross-validation run where the data are few (crossValidationFolds); 0: never. */
  crossValidationFolds: number;
}

type ArchitectureDefaults = Pick<
  ResolvedTrainingOptions,
  'epochs' | 'batchSize' | 'learningRate' | 'optimizer' | 'patience' | 'learningRateDecay' | 'augmentation'
>;

const ARCHITECTURE_DEFAULTS: Record<Architecture, ArchitectureDefaults> = {
  // Longer patience with the rate halved on plateaus, and ink jitter (which cannot move or erase a
  // fault): subtle timing faults of another renderer, bench/src/accuracy.bench.ts (README).
  'hydra-cnn': {
    epochs: 40,
    batchSize: 16,
    learningRate: 3e-3,
    optimizer: 'adam',
    patience: 8,
    learningRateDecay: { factor: 0.5, patience: 3 },
    augmentation: { maxShift: 0, ink: 0.3 },
  },
  'mobilenet-v2': {
    epochs: 20,
    batchSize: 8,
    learningRate: 1e-3,
    optimizer: 'adam',
    patience: 5,
    learningRateDecay: null,
    augmentation: null,
  },
  // Jefferson Lab's recipe: SGD with Nesterov momentum, batch 16, early stopping with patience 5.
  'inception-v3': {
    epochs: 50,
    batchSize: 16,
    learningRate: 0.01,
    optimizer: 'sgd',
    patience: 5,
    learningRateDecay: null,
    augmentation: null,
  },
};

/** The request over the plot type's defaults over the architecture's; invalid plot-type defaults are an error. */
export function resolveTrainingOptions(
  plotTypeDefaults: Record<string, unknown>,
  requested: TrainingOptions,
  /** The plot type's images' own size, when known: the default input follows it (see plotInput). */
  nativeSize?: { width: number; height: number },
): ResolvedTrainingOptions {
  const parsed = trainingOptions.safeParse(plotTypeDefaults);
  if (!parsed.success)
    throw new Error(`the plot type's training defaults are invalid: ${parsed.error.message}`);
  const options = { ...parsed.data, ...stripUndefined(requested) };
  const architecture = options.architecture ?? 'hydra-cnn';
  const base = ARCHITECTURE_DEFAULTS[architecture];
  // The plot type's default may ask for the base; a request for another architecture or a fine-tune is what counts.
  const startFrom =
    architecture === 'hydra-cnn' && !options.parentModelId ? (options.startFrom ?? 'base') : 'scratch';
  const size = { ...(options.input ?? plotInput(architecture, nativeSize)), channels: 3 as const };
  const candidates = inputCandidates(architecture, options, Boolean(options.parentModelId));
  return {
    architecture,
    epochs: options.epochs ?? base.epochs,
    batchSize: options.batchSize ?? base.batchSize,
    learningRate: options.learningRate ?? base.learningRate,
    optimizer: options.optimizer ?? base.optimizer,
    balancing: options.balancing ?? 'resample',
    parentModelId: options.parentModelId ?? null,
    startFrom,
    inputs: candidates.map(({ medianResidual, goodReference }) => ({
      ...size,
      ...(medianResidual && { medianResidual: { ...DEFAULT_MEDIAN_RESIDUAL, window: medianResidual } }),
      ...(goodReference && { goodReference: { ...DEFAULT_GOOD_REFERENCE } }),
    })),
    widthMultiplier: options.widthMultiplier ?? 1,
    patience: options.patience ?? base.patience,
    seed: options.seed ?? 1,
    learningRateDecay: base.learningRateDecay,
    augmentation: base.augmentation,
    crossValidationFolds: options.crossValidationFolds ?? DEFAULT_CROSS_VALIDATION_FOLDS,
  };
}

/** What trainModel is given for resolved options; `referenceClass` is Bad's output, which resampling balances to. */
export function trainModelOptions(
  options: ResolvedTrainingOptions,
  referenceClass: number,
): Omit<TrainModelOptions, 'signal' | 'onBatch' | 'onEpoch'> {
  return {
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    optimizer: options.optimizer,
    balancing: options.balancing,
    referenceClass,
    earlyStopping: { patience: options.patience, minDelta: 0.005 },
    seed: options.seed,
    ...(options.learningRateDecay && { learningRateDecay: options.learningRateDecay }),
    ...(options.augmentation && { augmentation: options.augmentation }),
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * The default input: hydra-cnn's follows the plot type's images (hydraCnnPlotInput); the other
 * architectures were designed for their own fixed input.
 */
export function plotInput(
  architecture: Architecture,
  nativeSize?: { width: number; height: number },
): { height: number; width: number } {
  if (architecture !== 'hydra-cnn' || !nativeSize) return DEFAULT_INPUT[architecture];
  return hydraCnnPlotInput(nativeSize);
}
