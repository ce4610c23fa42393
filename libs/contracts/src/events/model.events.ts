import { z } from 'zod';
import { plotTypeName, probability, userName, uuid } from '../primitives';
import { envelope } from './envelope';

/** A figure's 95 % interval over the test images (Wilson). */
const figureInterval = z.object({ lower: probability, upper: probability });

/**
 * The headline numbers of a validated model, with the 95 % intervals of accuracy and Bad recall
 * (absent from models stored before they were added); the full report lives in the `model` row.
 */
export const modelMetricsSummary = z.object({
  accuracy: probability,
  accuracyInterval: figureInterval.optional(),
  macroF1: probability,
  badRecall: probability.nullable(),
  badRecallInterval: figureInterval.nullable().optional(),
  testImages: z.number().int().nonnegative(),
});
export type ModelMetricsSummary = z.infer<typeof modelMetricsSummary>;

/** A training job produced a model that passed its gates (candidate) or did not (rejected) (trainer). */
export const modelTrainedEvent = envelope.extend({
  modelId: uuid,
  plotType: plotTypeName,
  jobId: uuid,
  status: z.enum(['candidate', 'rejected']),
  reason: z.string().nullable(),
  metrics: modelMetricsSummary,
});
export type ModelTrainedEvent = z.infer<typeof modelTrainedEvent>;

/** A model became the production model of its plot type; classifiers swap to it (labeler-api). */
export const modelPromotedEvent = envelope.extend({
  modelId: uuid,
  plotType: plotTypeName,
  previousModelId: uuid.nullable(),
  by: userName,
});
export type ModelPromotedEvent = z.infer<typeof modelPromotedEvent>;
