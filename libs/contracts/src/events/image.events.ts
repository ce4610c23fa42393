import { z } from 'zod';
import { isoDateTime, labelName, plotTypeName, probability, sha256, uuid } from '../primitives';
import { envelope } from './envelope';

/** A new image was stored and recorded (ingest). */
export const imageNewEvent = envelope.extend({
  imageId: uuid,
  plotType: plotTypeName,
  runPeriod: z.string().min(1).max(64),
  runNumber: z.number().int().nonnegative(),
  chunk: z.number().int().nonnegative().nullable(),
  capturedAt: isoDateTime,
  sha256,
  storageKey: z.string().min(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type ImageNewEvent = z.infer<typeof imageNewEvent>;

/** Why an image was kept for labeling (Hydra's keep rule). */
export const keepReason = z.enum(['sample', 'unconfirmed', 'confirmed-bad']);
export type KeepReason = z.infer<typeof keepReason>;

/** The verdict given when a plot type has no active model. */
export const NO_MODEL_VERDICT = 'NoModel';

/** An image was judged (classifier). */
export const imageClassifiedEvent = envelope.extend({
  imageId: uuid,
  plotType: plotTypeName,
  modelId: uuid.nullable(),
  verdict: labelName,
  confidence: probability,
  outputs: z.record(labelName, probability),
  thresholds: z.record(labelName, probability),
  confirmed: z.boolean(),
  collected: z.boolean(),
  keepReason: keepReason.nullable(),
  latencyMs: z.number().nonnegative(),
});
export type ImageClassifiedEvent = z.infer<typeof imageClassifiedEvent>;

/** A Grad-CAM heat map was stored (explainer). */
export const imageExplainedEvent = envelope.extend({
  imageId: uuid,
  modelId: uuid,
  heatmapKey: z.string().min(1),
});
export type ImageExplainedEvent = z.infer<typeof imageExplainedEvent>;

/** Someone asked for a heat map; without a model id the model that gave the latest verdict is used. */
export const explainRequestEvent = envelope.extend({
  imageId: uuid,
  modelId: uuid.optional(),
});
export type ExplainRequestEvent = z.infer<typeof explainRequestEvent>;
