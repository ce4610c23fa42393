import { loadServiceConfig } from '@hydra/service';
import { delimiter } from 'node:path';
import { z } from 'zod';
import type { ImageLimits } from './image-validation';

/** What to do with a watched file once its image is safely stored. */
export const afterStoreActions = ['keep', 'delete', 'move'] as const;

export interface IngestConfig {
  port: number;
  databaseUrl: string;
  watch: {
    /** Folders holding `RunPeriod-*` trees; none disables the watcher. */
    roots: string[];
    /** How often a file still without its end marker is looked at again. */
    stableMs: number;
    /** A file without its end marker whose size has not changed for this long is judged truncated. */
    incompleteMs: number;
    /** `move` puts it under `<root>/ingested/`, like Hydra's clean-up. */
    afterStore: (typeof afterStoreActions)[number];
    /**
     * How often every watched folder is looked through for files the watcher's events missed (the
     * kernel drops events when its queue overflows); unchanged files are only stat-ed. Default 60 s.
     */
    rescanMs?: number;
  };
  limits: ImageLimits & {
    /** Images decoded at once (each may need ~100 MB while it is decoded). */
    maxConcurrentDecodes: number;
  };
  /** Shared with labeler-api, the only caller allowed to push images here. */
  internalToken: string | null;
}

export const INGEST_CONFIG = Symbol('INGEST_CONFIG');

export const DEFAULT_RESCAN_S = 60;

const ingestVariables = {
  WATCH_DIRS: z.string().default(''),
  INGEST_STABLE_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  INGEST_INCOMPLETE_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  INGEST_MAX_DECODES: z.coerce.number().int().min(1).max(64).default(2),
  INGEST_AFTER_STORE: z.enum(afterStoreActions).default('keep'),
  INGEST_RESCAN_S: z.coerce.number().int().min(1).max(3_600).default(DEFAULT_RESCAN_S),
  MAX_IMAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  MAX_IMAGE_PIXELS: z.coerce.number().int().positive().default(25_000_000),
  INTERNAL_API_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
};

/** `WATCH_DIRS` lists folders separated by the platform's path delimiter (":" here) or commas. */
export function ingestConfigFromEnv(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  const { port, databaseUrl, values: config } = loadServiceConfig('INGEST_PORT', 3001, ingestVariables, env);
  return {
    port,
    databaseUrl,
    watch: {
      roots: config.WATCH_DIRS.split(new RegExp(`[,${delimiter}]`))
        .map((root) => root.trim())
        .filter(Boolean),
      stableMs: config.INGEST_STABLE_MS,
      incompleteMs: Math.max(config.INGEST_INCOMPLETE_MS, config.INGEST_STABLE_MS),
      afterStore: config.INGEST_AFTER_STORE,
      rescanMs: config.INGEST_RESCAN_S * 1_000,
    },
    limits: {
      maxBytes: config.MAX_IMAGE_BYTES,
      maxPixels: config.MAX_IMAGE_PIXELS,
      maxConcurrentDecodes: config.INGEST_MAX_DECODES,
    },
    internalToken: config.INTERNAL_API_TOKEN ?? null,
  };
}
