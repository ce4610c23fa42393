import { z } from 'zod';
import { plotTypeName, probability, userName, uuid } from '../primitives';
import { envelope } from './envelope';

/** The headline numbers of a validated model; the full report lives in the `model` row. */
export const modelMetricsSummary = z.object({
  accuracy: probability,
  macroF1: probability,
  badRecall: probability.nullable(),
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
