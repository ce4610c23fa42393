import { loadServiceConfig } from '@hydra/service';
import { z } from 'zod';

export interface ClassifierConfig {
  port: number;
  databaseUrl: string;
  /** Images judged in one inference call at most; whatever is waiting, up to this, goes together. */
  maxBatch: number;
  /** The confirmation threshold of a class its model has none for. */
  defaultThreshold: number;
  /** How often expired shelf times are looked for. */
  shelfSweepMs: number;
  /** The longest a person may shelve an alarm for (ISA-18.2 shelving is time-limited). */
  maxShelfMs: number;
  /** Which ONNX model serves: `auto` is the one the trainer chose (int8 where it agreed and was faster). */
  onnxPrecision: 'auto' | 'float32' | 'int8';
  /** Shared with labeler-api, the only caller allowed to take alarm actions here. */
  internalToken: string | null;
}

export const CLASSIFIER_CONFIG = Symbol('CLASSIFIER_CONFIG');

const classifierVariables = {
  CLASSIFIER_MAX_BATCH: z.coerce.number().int().min(1).max(512).default(32),
  DEFAULT_CONFIRMATION_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  SHELF_SWEEP_MS: z.coerce.number().int().min(100).default(5_000),
  ALARM_MAX_SHELF_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 366)
    .default(24),
  ONNX_PRECISION: z.enum(['auto', 'float32', 'int8']).default('auto'),
  INTERNAL_API_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
};

export function classifierConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ClassifierConfig {
  const {
    port,
    databaseUrl,
    values: config,
  } = loadServiceConfig('CLASSIFIER_PORT', 3002, classifierVariables, env);
  return {
    port,
    databaseUrl,
    maxBatch: config.CLASSIFIER_MAX_BATCH,
    defaultThreshold: config.DEFAULT_CONFIRMATION_THRESHOLD,
    shelfSweepMs: config.SHELF_SWEEP_MS,
    maxShelfMs: config.ALARM_MAX_SHELF_HOURS * 3_600_000,
    onnxPrecision: config.ONNX_PRECISION,
    internalToken: config.INTERNAL_API_TOKEN ?? null,
  };
}
