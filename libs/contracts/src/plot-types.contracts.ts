import { z } from 'zod';
import { alarmSeverity, type AlarmSeverity } from './events/alarm.events';
import { trainingOptions } from './events/training.events';
import { labelName, plotTypeName } from './primitives';

/** A colour as the web app paints it: `#rrggbb`. */
export const hexColour = z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'colours are "#rrggbb"');

/** One label of a plot type's palette; the list order is the order of a model's outputs. */
export const paletteEntryDto = z.strictObject({
  label: labelName,
  /** Sets the colour of a label this creates; an existing label's colour is shared by every plot type. */
  colour: hexColour.optional(),
  /** The key a labeler presses for this label. */
  hotkey: z.string().length(1).nullable().optional(),
});
export type PaletteEntryDto = z.infer<typeof paletteEntryDto>;

/** What a candidate must show before it may be promoted; the trainer fills in what is left out. */
export const trainingGatesDto = z.strictObject({
  /** Test images every class needs for its numbers to mean anything (trainer default 3). */
  minTestPerClass: z.number().int().nonnegative().max(100_000).optional(),
  /** Recall of the Bad class on the test images (trainer default 0.5). */
  minBadRecall: z.number().min(0).max(1).optional(),
  /** Accuracy a candidate may lose against production on the same images (trainer default 0.02). */
  maxRegression: z.number().min(0).max(1).optional(),
});
export type TrainingGatesDto = z.infer<typeof trainingGatesDto>;

/** What a training request starts from; a parent model is chosen per request, never by default. */
export const trainingDefaultsDto = trainingOptions.omit({ parentModelId: true }).strict();
export type TrainingDefaultsDto = z.infer<typeof trainingDefaultsDto>;

/** When a plot type's alarm rises and clears, and how loud it is. */
export const alarmPolicyDto = z.strictObject({
  /** Consecutive confirmed Bad verdicts that raise the alarm. */
  onDelay: z.number().int().min(1).max(1000),
  /** Consecutive Good verdicts that clear it. */
  offDelay: z.number().int().min(1).max(1000),
  severity: alarmSeverity,
  enabled: z.boolean(),
});
export type AlarmPolicyDto = z.infer<typeof alarmPolicyDto>;

/** Most rectangles a plot type may mask: enough for a title, a legend, a stats box and the axes. */
export const MAX_IGNORE_REGIONS = 16;

/** Sums of fractions like 0.7 + 0.3 may land a hair past 1 in floating point. */
const EDGE_TOLERANCE = 1e-9;

/**
 * A rectangle of a plot the model must not look at (title, legend, stats box, axes), in fractions of
 * the original image: `x`, `y` from the top-left corner, `width`, `height`; painted white before the
 * model sees the image.
 */
export const ignoreRegionDto = z
  .strictObject({
    x: z.number().min(0).max(1),
    y: z.number().min(0).max(1),
    width: z.number().gt(0).max(1),
    height: z.number().gt(0).max(1),
  })
  .refine((region) => region.x + region.width <= 1 + EDGE_TOLERANCE, {
    message: 'a region ends past the right edge of the image (x + width > 1)',
  })
  .refine((region) => region.y + region.height <= 1 + EDGE_TOLERANCE, {
    message: 'a region ends past the bottom edge of the image (y + height > 1)',
  });
export type IgnoreRegionDto = z.infer<typeof ignoreRegionDto>;

export const ignoreRegionsDto = z.array(ignoreRegionDto).max(MAX_IGNORE_REGIONS);

const distinctPalette = z
  .array(paletteEntryDto)
  .max(32)
  .refine((entries) => new Set(entries.map((entry) => entry.label)).size === entries.length, {
    message: 'a label appears twice in the palette',
  })
  .refine(
    (entries) => {
      const keys = entries.flatMap((entry) => (entry.hotkey ? [entry.hotkey] : []));
      return new Set(keys).size === keys.length;
    },
    { message: 'a hotkey is used by two labels' },
  );

/** PATCH /api/plot-types/:plotType: the settings to change; what is left out stays as it is. */
export const plotTypeSettingsDto = z.strictObject({
  group: z.string().min(1).max(64).nullable().optional(),
  hidden: z.boolean().optional(),
  chunked: z.boolean().optional(),
  collectPercent: z.number().min(0).max(100).optional(),
  contact: z.string().max(200).nullable().optional(),
  alarm: alarmPolicyDto.partial().optional(),
  /** Replaces the whole palette, in this order. */
  palette: distinctPalette.optional(),
  trainingGates: trainingGatesDto.optional(),
  trainingDefaults: trainingDefaultsDto.optional(),
  autoPromote: z.boolean().optional(),
  /** Shown in the OpenAPI description, since it says when a change takes effect. */
  ignoreRegions: ignoreRegionsDto
    .optional()
    .describe(
      `Replaces the plot type's ignore regions (at most ${MAX_IGNORE_REGIONS} rectangles in fractions of the image). ` +
        'Training, inference and Grad-CAM paint them white; a model keeps the regions it was trained with, ' +
        'so a change takes effect with the next training.',
    ),
});
export type PlotTypeSettingsDto = z.infer<typeof plotTypeSettingsDto>;

/** POST /api/plot-types: a new plot type with any of the settings. */
export const plotTypeCreateDto = plotTypeSettingsDto.extend({ name: plotTypeName });
export type PlotTypeCreateDto = z.infer<typeof plotTypeCreateDto>;

/** One label of a palette as the web app shows it. */
export interface PaletteEntry {
  label: string;
  colour: string;
  hotkey: string | null;
  /** Images with this label never train a model (Hydra's Ignore). */
  excludedFromTraining: boolean;
}

/** A plot type and every setting of it. */
export interface PlotTypeResponse {
  name: string;
  group: string | null;
  hidden: boolean;
  chunked: boolean;
  collectPercent: number;
  contact: string | null;
  alarm: { onDelay: number; offDelay: number; severity: AlarmSeverity; enabled: boolean };
  palette: PaletteEntry[];
  trainingGates: TrainingGatesDto;
  trainingDefaults: TrainingDefaultsDto;
  autoPromote: boolean;
  /** What the next training masks (the production model masks what its manifest says). */
  ignoreRegions: IgnoreRegionDto[];
  activeModelId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** GET /api/plot-types/:plotType/leaderboard: one labeler's count (undone batches and undos do not count). */
export interface LeaderboardEntry {
  user: string;
  total: number;
  lastSevenDays: number;
  lastLabeledAt: string;
}
