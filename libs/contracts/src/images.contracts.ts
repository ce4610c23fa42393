import { z } from 'zod';
import { keepReason, type KeepReason } from './events/image.events';
import { isoDateTime, labelName, plotTypeName } from './primitives';

/** A query-string flag: only the words `true` and `false` (z.coerce.boolean would read "false" as true). */
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');
const runNumber = z.coerce.number().int().nonnegative();
/** An opaque page position handed out as `nextCursor`. */
const cursor = z.string().min(1).max(500);

/** GET /api/images: filters, newest first, one page at a time. */
export const imageListQuery = z.strictObject({
  plotType: plotTypeName.optional(),
  group: z.string().min(1).max(64).optional(),
  runFrom: runNumber.optional(),
  runTo: runNumber.optional(),
  /** Captured at or after. */
  from: isoDateTime.optional(),
  /** Captured before. */
  to: isoDateTime.optional(),
  /** The latest verdict. */
  verdict: labelName.optional(),
  /** Whether the latest verdict was confirmed. */
  confirmed: flag.optional(),
  /** The current expert label. */
  label: labelName.optional(),
  keepReason: keepReason.optional(),
  unlabeled: flag.optional(),
  /** Labeled images whose latest verdict is not their label. */
  disagreement: flag.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursor.optional(),
});
export type ImageListQuery = z.infer<typeof imageListQuery>;

/** The labeling queue's orders: Hydra's "novel" mode, the model's doubts, the model against the experts. */
export const queueOrder = z.enum(['newest', 'uncertain', 'disagreement']);
export type QueueOrder = z.infer<typeof queueOrder>;

/** GET /api/plot-types/:plotType/queue */
export const queueQuery = z.strictObject({
  order: queueOrder.default('newest'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: cursor.optional(),
});
export type QueueQuery = z.infer<typeof queueQuery>;

/** One model's verdict on an image. */
export interface ImageVerdict {
  verdict: string;
  confidence: number;
  confirmed: boolean;
  /** Null: judged with no model in production. */
  modelId: string | null;
  outputs: Record<string, number>;
  classifiedAt: string;
}

/** An image as lists show it: where it comes from, what the model and the experts say, where its pixels are. */
export interface ImageListItem {
  id: string;
  plotType: string;
  runPeriod: string;
  runNumber: number;
  chunk: number | null;
  capturedAt: string;
  keep: boolean;
  keepReason: KeepReason | null;
  /** The most recent verdict; null before the classifier has seen it. */
  latestVerdict: ImageVerdict | null;
  /** The current expert label. */
  label: string | null;
  thumbnailUrl: string;
  fileUrl: string;
}

/** A page of a list; `nextCursor` is null on the last page. */
export interface ImagePage {
  items: ImageListItem[];
  nextCursor: string | null;
}

/** One change of an image's label, from the audit of label batches. */
export interface LabelHistoryEntry {
  batchId: string;
  user: string;
  at: string;
  /** Null: the image was left without a label (an undo of its first label). */
  label: string | null;
  previousLabel: string | null;
  /** Set when this change undid that batch. */
  undoesBatchId: string | null;
}

/** A Grad-CAM heat map of the image by one model. */
export interface ImageHeatmap {
  modelId: string;
  createdAt: string;
  url: string;
}

/** GET /api/images/:id: the image with every verdict, its label history and its heat maps. */
export interface ImageDetail extends ImageListItem {
  pad: string | null;
  width: number;
  height: number;
  sizeBytes: number;
  sha256: string;
  ingestedAt: string;
  /** Newest first. */
  verdicts: ImageVerdict[];
  /** Newest first. */
  labelHistory: LabelHistoryEntry[];
  heatmaps: ImageHeatmap[];
}
