import { z } from 'zod';
import { modelArchitecture, plotTypeName, probability, userName, uuid } from '../primitives';
import { envelope } from './envelope';

const FOLDS =
  'crossValidationFolds is 0 (off) or 3 to 10: each round needs a test, a validation and a training fold';

/** Options a training request may set; anything left out comes from the plot type's defaults. */
export const trainingOptions = z.object({
  architecture: modelArchitecture.optional(),
  epochs: z.number().int().min(1).max(1000).optional(),
  batchSize: z.number().int().min(1).max(1024).optional(),
  learningRate: z.number().positive().max(10).optional(),
  optimizer: z.enum(['sgd', 'adam']).optional(),
  balancing: z.enum(['resample', 'weighted-loss']).optional(),
  /** Fine-tune this model (same labels) instead of starting from scratch. */
  parentModelId: uuid.optional(),
  /**
   * hydra-cnn's first weights: `base`, Hydra's base pretrained on the simulator's plots of every
   * type, style and fault (the default), or `scratch`, random ones. Only hydra-cnn has a base; a
   * fine-tune starts from its parent, and a candidate with a Good reference from random weights.
   */
  startFrom: z.enum(['base', 'scratch']).optional(),
  /** The model's input; the architecture's own size when absent. */
  input: z
    .object({ height: z.number().int().min(16).max(1024), width: z.number().int().min(16).max(1024) })
    .optional(),
  /**
   * The side of the median-residual window (odd, 3–9; 5 measured best): each colour's residual
   * from its local median, as more input channels, shows an isolated hot or dead cell the model
   * otherwise misses from few labels, but costs accuracy on other plots. 0 turns it off. Where
   * neither this nor goodReference is set by the request or the plot type's defaults, a new
   * hydra-cnn trains the candidates of inputCandidates and keeps the lower validation loss (README, Models).
   */
  medianResidual: z
    .union([
      z.literal(0),
      z
        .number()
        .int()
        .min(3)
        .max(9)
        .refine((side) => side % 2 === 1, { error: 'the median-residual window must be odd' }),
    ])
    .optional(),
  /**
   * Compare each plot with the Good training plots most like it (the pixelwise median of the 11
   * nearest) and give the model the difference as more input channels: what departs from healthy
   * plots of the type (a hot cell on a dim rim, a shifted peak) stands out whatever the frame.
   * The model keeps those plots and needs Good ones in its training split. Unset: see medianResidual.
   */
  goodReference: z.boolean().optional(),
  /** MobileNetV2's width multiplier α. */
  widthMultiplier: z.number().min(0.1).max(2).optional(),
  /** Stop when validation loss has not improved by 0.005 for this many epochs (Hydra: 5). */
  patience: z.number().int().min(1).max(100).optional(),
  /** Seeds the split, the initial weights and the sampling, so a run can be repeated. */
  seed: z.number().int().nonnegative().optional(),
  /**
   * Stratified k-fold cross-validation where some class would have fewer than 30 test images
   * (crossValidationFolds in cross-validation.contracts): k more trainings; 0 turns it off. Default 5.
   */
  crossValidationFolds: z
    .union(
      [
        z.literal(0, { error: FOLDS }),
        z.number({ error: FOLDS }).int({ error: FOLDS }).min(3, { error: FOLDS }).max(10, { error: FOLDS }),
      ],
      { error: FOLDS },
    )
    .optional(),
});
export type TrainingOptions = z.infer<typeof trainingOptions>;

/** Someone pressed "Train" (labeler-api). */
export const trainingRequestedEvent = envelope.extend({
  jobId: uuid,
  plotType: plotTypeName,
  requestedBy: userName,
  options: trainingOptions,
});
export type TrainingRequestedEvent = z.infer<typeof trainingRequestedEvent>;

export const trainingPhase = z.enum([
  'queued',
  'preparing',
  'training',
  'validating',
  'cross-validating',
  'saving',
  'done',
  'failed',
  'cancelled',
]);
export type TrainingPhase = z.infer<typeof trainingPhase>;

/** Progress of a training job, at least once per epoch (trainer). */
export const trainingProgressEvent = envelope.extend({
  jobId: uuid,
  phase: trainingPhase,
  epoch: z.number().int().nonnegative().nullable(),
  totalEpochs: z.number().int().positive().nullable(),
  loss: z.number().nonnegative().nullable(),
  valLoss: z.number().nonnegative().nullable(),
  accuracy: probability.nullable(),
  valAccuracy: probability.nullable(),
  etaS: z.number().nonnegative().nullable(),
  /** In a run that cross-validates: the round being trained (1-based; null while the candidate itself trains) of how many. */
  fold: z.number().int().positive().nullable().optional(),
  totalFolds: z.number().int().positive().nullable().optional(),
  /**
   * In a run that trains candidates of several inputs (inputCandidates): the candidate being
   * trained (1-based) of how many, its median-residual window (0: none) and whether it has a Good reference.
   */
  candidate: z.number().int().positive().nullable().optional(),
  totalCandidates: z.number().int().positive().nullable().optional(),
  medianResidual: z.number().int().nonnegative().nullable().optional(),
  goodReference: z.boolean().nullable().optional(),
});
export type TrainingProgressEvent = z.infer<typeof trainingProgressEvent>;
