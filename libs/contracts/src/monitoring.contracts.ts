import { z } from 'zod';
import type { AlarmSeverity, AlarmState } from './events/alarm.events';
import { isoDateTime, plotTypeName } from './primitives';
import type { ImageVerdict } from './images.contracts';

/** Query strings carry text; `?hidden=true` and `?hidden=1` both mean yes. */
const queryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1')
  .default(false);

/** GET /api/run: `hidden` includes the plot types an expert hid from the dashboard. */
export const runSnapshotQueryDto = z.object({ hidden: queryBoolean });
export type RunSnapshotQueryDto = z.infer<typeof runSnapshotQueryDto>;

/** The newest image of a plot type, by capture time. */
export interface RunImageDto {
  id: string;
  runNumber: number;
  chunk: number | null;
  /** The sender's clock. */
  capturedAt: string;
  /** When ingest stored it (our clock). */
  receivedAt: string;
}

/** The newest verdict on that image (the shape of every verdict in the API). */
export type RunVerdictDto = ImageVerdict;

/** A plot type's alarm: its newest transition, with the acknowledgement and shelving in force. */
export interface RunAlarmDto {
  alarmId: string;
  state: AlarmState;
  severity: AlarmSeverity;
  /** When the alarm first became active. */
  since: string;
  /** The newest transition and when it happened. */
  event: string;
  changedAt: string;
  acknowledged: { by: string | null; at: string } | null;
  shelved: { by: string | null; reason: string | null; until: string | null } | null;
}

/** One sparkline point: mean P(Good) − P(Bad) of the verdicts in the bucket starting at `t`. */
export interface SparklinePointDto {
  t: string;
  value: number;
}

/** One plot type on the Run dashboard. */
export interface RunPlotDto {
  name: string;
  group: string | null;
  hidden: boolean;
  image: RunImageDto | null;
  verdict: RunVerdictDto | null;
  /** Seconds since the newest image was received; null without images. */
  ageSeconds: number | null;
  /** `/api/images/:id/heatmaps/:modelId` when the verdict has been explained. */
  heatmapUrl: string | null;
  alarm: RunAlarmDto | null;
  /** The last hour, oldest first, at most `RUN_SPARKLINE_POINTS` points. */
  sparkline: SparklinePointDto[];
}

/** The run condition the DAQ reported last. */
export interface RunConditionStateDto {
  beamOn: boolean;
  beamCurrent: number | null;
  since: string;
}

/** GET /api/run: everything the Run dashboard shows, in one reply. */
export interface RunSnapshotDto {
  generatedAt: string;
  /** Null when the DAQ never reported one (the classifier then assumes beam on). */
  runCondition: RunConditionStateDto | null;
  /** The highest run number of any image; null without images. */
  runNumber: number | null;
  plots: RunPlotDto[];
}

/** Sparkline buckets per hour: 30 s each. */
export const RUN_SPARKLINE_POINTS = 120;

/** The log's longest window. */
export const LOG_MAX_WINDOW_DAYS = 31;
/** The log's most rows per reply; `truncated` says when more matched. */
export const LOG_MAX_ROWS = 10_000;

/** GET /api/log: confirmed-Bad and unconfirmed verdicts; the last 24 h unless `from`/`to` say otherwise. */
export const logQueryDto = z
  .object({
    plotType: plotTypeName.optional(),
    group: z.string().min(1).max(64).optional(),
    runFrom: z.coerce.number().int().nonnegative().optional(),
    runTo: z.coerce.number().int().nonnegative().optional(),
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .refine(
    (query) => query.runFrom === undefined || query.runTo === undefined || query.runFrom <= query.runTo,
    {
      message: 'runFrom must not be after runTo',
      path: ['runFrom'],
    },
  );
export type LogQueryDto = z.infer<typeof logQueryDto>;

/** One log row: a verdict the shift should look at. */
export interface LogEntryDto {
  classifiedAt: string;
  plotType: string;
  group: string | null;
  runNumber: number;
  chunk: number | null;
  capturedAt: string;
  imageId: string;
  modelId: string | null;
  verdict: string;
  confidence: number;
  confirmed: boolean;
}

/** GET /api/log?format=json */
export interface LogDto {
  from: string;
  to: string;
  /** More rows matched than `LOG_MAX_ROWS`; narrow the window. */
  truncated: boolean;
  entries: LogEntryDto[];
}

/** One histogram bucket: latencies in [fromMs, toMs); `toMs` null is the overflow bucket. */
export interface LatencyBucketDto {
  fromMs: number;
  toMs: number | null;
  count: number;
}

/** One pipeline stage's latency over the last 24 h. */
export interface StageLatencyDto {
  stage: 'ingest-to-classified' | 'classified-to-explained';
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  buckets: LatencyBucketDto[];
}

/** How far one durable consumer is behind: `pending` not yet delivered, `ackPending` delivered, not acknowledged. */
export interface ConsumerLagDto {
  consumer: string;
  subject: string | null;
  pending: number;
  ackPending: number;
  lag: number;
}

/** Another service's `/health`, as labeler-api saw it. */
export interface ServiceHealthDto {
  name: string;
  url: string;
  /** `down`: it answered with an error status; `unreachable`: no answer within the timeout. */
  status: 'up' | 'down' | 'unreachable';
  httpStatus: number | null;
  latencyMs: number;
  body: unknown;
  error: string | null;
}

/** GET /api/status: how the pipeline is doing. */
export interface StatusDto {
  generatedAt: string;
  latency: StageLatencyDto[];
  /** Images received per UTC day, last 365 days, days without images left out. */
  imagesPerDay: { day: string; count: number }[];
  consumers: {
    transport: 'jetstream' | 'in-process';
    stream: string | null;
    note: string | null;
    lag: ConsumerLagDto[];
  };
  services: ServiceHealthDto[];
}
