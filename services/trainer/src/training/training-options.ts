import { type TrainingOptions, trainingOptions } from '@hydra/contracts';
import { type Architecture, DEFAULT_INPUT, type InputShape } from '@hydra/ml';

/** Every setting of a training run, after the request, the plot type's defaults and the architecture's. */
export interface ResolvedTrainingOptions {
  architecture: Architecture;
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: 'sgd' | 'adam';
  balancing: 'resample' | 'weighted-loss';
  parentModelId: string | null;
  input: InputShape;
  widthMultiplier: number;
  patience: number;
  seed: number;
}

type ArchitectureDefaults = Pick<
  ResolvedTrainingOptions,
  'epochs' | 'batchSize' | 'learningRate' | 'optimizer' | 'patience'
>;

const ARCHITECTURE_DEFAULTS: Record<Architecture, ArchitectureDefaults> = {
  'hydra-cnn': { epochs: 20, batchSize: 16, learningRate: 3e-3, optimizer: 'adam', patience: 5 },
  'mobilenet-v2': { epochs: 20, batchSize: 8, learningRate: 1e-3, optimizer: 'adam', patience: 5 },
  // Jefferson Lab's recipe: SGD with Nesterov momentum, batch 16, early stopping with patience 5.
  'inception-v3': { epochs: 50, batchSize: 16, learningRate: 0.01, optimizer: 'sgd', patience: 5 },
};

/** The request over the plot type's defaults over the architecture's; invalid plot-type defaults are an error. */
export function resolveTrainingOptions(
  plotTypeDefaults: Record<string, unknown>,
  requested: TrainingOptions,
): ResolvedTrainingOptions {
  const parsed = trainingOptions.safeParse(plotTypeDefaults);
  if (!parsed.success)
    throw new Error(`the plot type's training defaults are invalid: ${parsed.error.message}`);
  const options = { ...parsed.data, ...stripUndefined(requested) };
  const architecture = options.architecture ?? 'hydra-cnn';
  const base = ARCHITECTURE_DEFAULTS[architecture];
  return {
    architecture,
    epochs: options.epochs ?? base.epochs,
    batchSize: options.batchSize ?? base.batchSize,
    learningRate: options.learningRate ?? base.learningRate,
    optimizer: options.optimizer ?? base.optimizer,
    balancing: options.balancing ?? 'resample',
    parentModelId: options.parentModelId ?? null,
    input: { ...(options.input ?? DEFAULT_INPUT[architecture]), channels: 3 },
    widthMultiplier: options.widthMultiplier ?? 1,
    patience: options.patience ?? base.patience,
    seed: options.seed ?? 1,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
