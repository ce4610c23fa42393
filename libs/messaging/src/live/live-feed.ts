/** One valid event from the stream, with the stream sequence that orders it. */
export interface FeedEvent {
  sequence: number;
  /** Without the subject prefix, e.g. `image.classified`. */
  subject: string;
  /** Validated against the subject's schema. */
  payload: unknown;
}

/** A running feed; stops delivering once closed. */
export interface LiveFeed {
  /** The last stream sequence the feed has passed; every later matching event is still to come. */
  readonly position: number;
  close(): Promise<void>;
}

/** Why the events after a sequence cannot be replayed. */
export type ReplayGap = 'expired' | 'too-many' | 'unknown-sequence';

/** The matching events after a sequence up to `upTo` (the stream's end when asked), or why not. */
export type ReplayResult =
  | { kind: 'events'; events: FeedEvent[]; upTo: number }
  | { kind: 'gap'; gap: ReplayGap; message: string; upTo: number };

export interface LiveFeedOptions {
  /** Subject filters without the prefix; `alarm.>` style wildcards allowed. */
  subjects: readonly string[];
  /** Deliver the events after this sequence; from now on when absent. */
  afterSequence?: number;
}

/**
 * Every event to every replica, in stream order: the live-update side of the broker, unlike the
 * durable work queues that replicas share. Invalid messages are skipped and counted, never thrown.
 */
export interface LiveFeedSource {
  open(options: LiveFeedOptions, onEvent: (event: FeedEvent) => void): Promise<LiveFeed>;
  /** The matching events after `afterSequence`, at most `limit` of them, else a gap to resync. */
  replay(subjects: readonly string[], afterSequence: number, limit: number): Promise<ReplayResult>;
}
