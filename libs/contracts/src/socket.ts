import { z } from 'zod';
import type { AlarmEvent } from './events/alarm.events';
import type { ImageClassifiedEvent, ImageExplainedEvent } from './events/image.events';
import type { LabelAddedEvent } from './events/label.events';
import type { ModelPromotedEvent, ModelTrainedEvent } from './events/model.events';
import type { TrainingProgressEvent } from './events/training.events';
import { plotTypeName } from './primitives';
import { ALARM_SUBJECT_PREFIX, Subjects } from './subjects';

/** The payload of each live event the labeler-api pushes to the web app over Socket.IO. */
export interface LiveEvents {
  'image:classified': ImageClassifiedEvent;
  /** Has no plot type: sent to every client. */
  'image:explained': ImageExplainedEvent;
  'alarm:changed': AlarmEvent;
  /** Has no plot type: sent to every client. */
  'training:progress': TrainingProgressEvent;
  'model:trained': ModelTrainedEvent;
  'model:promoted': ModelPromotedEvent;
  /** Has no plot type: sent to every client. */
  'label:added': LabelAddedEvent;
}

export type LiveEventName = keyof LiveEvents;

/** One stream event as a client receives it; `seq` is its JetStream stream sequence, to resume from. */
export interface LiveMessage<T> {
  seq: number;
  event: T;
}

/** Catch-up is over (or there was none): every watched event up to `seq` has been sent; live from here. */
export interface LiveReady {
  seq: number;
  /** How many events were replayed after the client's `since`. */
  replayed: number;
}

/** Why the events after a client's `since` cannot be replayed. */
export type LiveResyncReason =
  /** Older than the stream keeps. */
  | 'expired'
  /** More than a replay sends; a REST snapshot is cheaper. */
  | 'too-many'
  /** Past the stream's end: the stream was recreated. */
  | 'unknown-sequence'
  /** The client fell too far behind while its replay ran. */
  | 'overflow'
  /** The broker did not answer the replay. */
  | 'unavailable';

/** The client must reload its state from REST; the events after `seq` follow live. */
export interface LiveResync {
  reason: LiveResyncReason;
  message: string;
  seq: number;
}

/** Events the labeler-api pushes to the web app over Socket.IO. */
export type ServerToClientEvents = {
  [E in LiveEventName]: (message: LiveMessage<LiveEvents[E]>) => void;
} & {
  'live:ready': (ready: LiveReady) => void;
  'live:resync': (resync: LiveResync) => void;
};

/** Events the web app sends. */
export interface ClientToServerEvents {
  /** Replaces the watched plot types (`['*']`: all); acknowledged with the list in force. */
  'plot-types:watch': (plotTypes: string[], ack?: (watching: string[]) => void) => void;
  /** Replays the watched events after `since` (the last `seq` seen), then continues live; ignored while a replay runs. */
  'live:resume': (since: number) => void;
}

/** Every plot type, in `plot-types:watch` and the handshake. */
export const ALL_PLOT_TYPES = '*';

/** What a client may pass as `io(url, { auth })`: a machine token, where to resume, what to watch. */
export const liveHandshake = z.object({
  token: z.string().min(1).max(512).optional(),
  since: z.number().int().nonnegative().optional(),
  /** `['*']` (all) when absent. */
  plotTypes: z
    .array(z.union([z.literal(ALL_PLOT_TYPES), plotTypeName]))
    .max(1000)
    .optional(),
});
export type LiveHandshake = z.infer<typeof liveHandshake>;

/** The stream subjects forwarded to Socket.IO clients (alarm transitions of every kind and plot type). */
export const LIVE_SUBJECTS: readonly string[] = [
  Subjects.imageClassified,
  Subjects.imageExplained,
  `${ALARM_SUBJECT_PREFIX}>`,
  Subjects.trainingProgress,
  Subjects.modelTrained,
  Subjects.modelPromoted,
  Subjects.labelAdded,
];

const liveEventBySubject: Record<string, LiveEventName> = {
  [Subjects.imageClassified]: 'image:classified',
  [Subjects.imageExplained]: 'image:explained',
  [Subjects.trainingProgress]: 'training:progress',
  [Subjects.modelTrained]: 'model:trained',
  [Subjects.modelPromoted]: 'model:promoted',
  [Subjects.labelAdded]: 'label:added',
};

/** The Socket.IO event that carries a stream subject, or undefined for one not sent live. */
export function liveEventFor(subject: string): LiveEventName | undefined {
  if (subject.startsWith(ALARM_SUBJECT_PREFIX)) return 'alarm:changed';
  return liveEventBySubject[subject];
}
