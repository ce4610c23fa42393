import { z } from 'zod';
import { beamCurrent, isoDateTime, labelName, plotTypeName, probability, userName, uuid } from './primitives';
import { trainingOptions } from './events/training.events';

/** The one HTTP error shape every Hydra service answers with. */
export interface HttpErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

/** POST /plot-types/:plotType/labels: one labeling batch. */
export const labelBatchDto = z.object({
  items: z
    .array(z.object({ imageId: uuid, label: labelName }))
    .min(1)
    .max(10_000),
});
export type LabelBatchDto = z.infer<typeof labelBatchDto>;

/** POST /plot-types/:plotType/labels: one audited labeling batch; the client's batch id makes a retry harmless. */
export const labelBatchRequestDto = labelBatchDto.extend({ batchId: uuid });
export type LabelBatchRequestDto = z.infer<typeof labelBatchRequestDto>;

/** POST /plot-types/:plotType/training: push-button training. */
export const trainingRequestDto = z.object({
  options: trainingOptions.default({}).superRefine((options, context) => {
    if (options.startFrom !== 'base') return;
    if (options.parentModelId)
      context.addIssue({
        code: 'custom',
        path: ['startFrom'],
        message: 'a fine-tune starts from its parent model, not from the base',
      });
    if (options.architecture && options.architecture !== 'hydra-cnn')
      context.addIssue({
        code: 'custom',
        path: ['startFrom'],
        message: `only hydra-cnn has a base; ${options.architecture} starts from scratch`,
      });
    if (options.goodReference)
      context.addIssue({
        code: 'custom',
        path: ['startFrom'],
        message: 'a model with a Good reference starts from random weights: the base never saw that input',
      });
  }),
});
export type TrainingRequestDto = z.infer<typeof trainingRequestDto>;

/** PUT /models/:modelId/thresholds/:label */
export const thresholdUpdateDto = z.object({
  threshold: probability,
  reason: z.string().min(1).max(500),
});

/** POST /plot-types/:plotType/rollback: back to `modelId`, or to the model in production before the current one. */
export const rollbackDto = z.object({ modelId: uuid.optional() });
export type RollbackDto = z.infer<typeof rollbackDto>;
export type ThresholdUpdateDto = z.infer<typeof thresholdUpdateDto>;

/** POST /api/alarms/:plotType/shelve: silence an alarm until a time, with a reason. */
export const alarmShelveDto = z.object({ until: isoDateTime, reason: z.string().min(1).max(500) });
export type AlarmShelveDto = z.infer<typeof alarmShelveDto>;

/** POST /api/alarms/:plotType/{acknowledge,unshelve,disable,enable}: why, optionally. */
export const alarmActionDto = z.object({ reason: z.string().min(1).max(500).optional() });
export type AlarmActionDto = z.infer<typeof alarmActionDto>;

/** The classifier's internal alarm routes: the action with the actor labeler-api authenticated. */
export const alarmActionByDto = alarmActionDto.extend({ by: userName });
export type AlarmActionByDto = z.infer<typeof alarmActionByDto>;
export const alarmShelveByDto = alarmShelveDto.extend({ by: userName });
export type AlarmShelveByDto = z.infer<typeof alarmShelveByDto>;

/** PUT /api/condition: the run condition, for a DAQ that speaks HTTP rather than NATS. */
export const runConditionDto = z.object({
  beamOn: z.boolean(),
  beamCurrent,
});
export type RunConditionDto = z.infer<typeof runConditionDto>;

/**
 * POST /explanations on the explainer: a heat map now; without a model id, by the newest verdict's
 * model; with a label, of that class ("why not Bad?") instead of the verdict's.
 */
export const explanationRequestDto = z.object({
  imageId: uuid,
  modelId: uuid.optional(),
  label: labelName.optional(),
});
export type ExplanationRequestDto = z.infer<typeof explanationRequestDto>;

/** POST /api/images/:id/explanations on labeler-api: the same request, the image named by the path. */
export const imageExplanationDto = explanationRequestDto.omit({ imageId: true });
export type ImageExplanationDto = z.infer<typeof imageExplanationDto>;

/**
 * Where a heat map is stored: the verdict's class at `heatmaps/<imageId>/<modelId>.png`, any other
 * class asked for at `heatmaps/<imageId>/<modelId>/<label>.png` (spaces as ".", which no label has).
 */
export function heatmapKey(imageId: string, modelId: string, label?: string): string {
  return label === undefined
    ? `heatmaps/${imageId}/${modelId}.png`
    : `heatmaps/${imageId}/${modelId}/${label.replace(/ /g, '.')}.png`;
}

/** The reply: where the overlay PNG is, and a link to it that expires. */
export interface ExplanationResponse {
  imageId: string;
  modelId: string;
  /** The class whose evidence the heat map shows. */
  label: string;
  heatmapKey: string;
  url: string;
  /** How long computing it took; 0 for a class's heat map that was already stored. */
  computeMs: number;
}

/** The largest value of a PostgreSQL `integer` (int4) column. */
const INT4_MAX = 2_147_483_647;

/**
 * A whole number as written in a query string or form field: decimal digits only (no sign, "0x",
 * exponent, blanks or empty value), at most what an int4 column holds.
 */
const int4Decimal = z
  .string()
  .regex(/^[0-9]+$/, 'a decimal whole number (digits only)')
  .transform(Number)
  .refine((value) => value <= INT4_MAX, `at most ${INT4_MAX}`);

/** POST /images: the metadata of a pushed image, as query parameters (or multipart fields). */
export const imageUploadQuery = z.object({
  plotType: plotTypeName,
  runNumber: int4Decimal,
  runPeriod: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/)
    .default('unknown'),
  chunk: int4Decimal.optional(),
  pad: z
    .string()
    .regex(/^\d{1,3}$/)
    .optional(),
  /** When the plot was made; the upload time when absent. */
  capturedAt: isoDateTime.optional(),
});
export type ImageUploadQuery = z.infer<typeof imageUploadQuery>;

/** The reply to an image upload. */
export interface ImageUploadResponse {
  imageId: string;
  plotType: z.infer<typeof plotTypeName>;
  duplicate: boolean;
}
