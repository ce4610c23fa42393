import { z } from 'zod';
import { modelArchitecture, plotTypeName, probability, userName, uuid } from '../primitives';
import { envelope } from './envelope';

/** Options a training request may set; anything left out comes from the plot type's defaults. */
export const trainingOptions = z.object({
  architecture: modelArchitecture.optional(),
  epochs: z.number().int().min(1).max(1000).optional(),
  batchSize: z.number().int().min(1).max(1024).optional(),
  learningRate: z.number().positive().max(10).optional(),
  optimizer: z.enum(['sgd', 'adam']).optional(),
  balancing: z.enum(['resample', 'weighted-loss']).optional(),
  parentModelId: uuid.optional(),
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
});
export type TrainingProgressEvent = z.infer<typeof trainingProgressEvent>;
