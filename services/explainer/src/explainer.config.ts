import { loadServiceConfig } from '@hydra/service';
import { z } from 'zod';

export interface ExplainerConfig {
  port: number;
  databaseUrl: string;
  /** tfjs models kept in memory at once (the newest used stay). */
  cachedModels: number;
  /** The process's CPU niceness (0–19): on a shared machine, heat maps wait for verdicts, not the reverse. */
  nice: number;
}

export const EXPLAINER_CONFIG = Symbol('EXPLAINER_CONFIG');

const explainerVariables = {
  EXPLAINER_CACHED_MODELS: z.coerce.number().int().min(1).max(64).default(8),
  EXPLAINER_NICE: z.coerce.number().int().min(0).max(19).default(10),
};

export function explainerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ExplainerConfig {
  const {
    port,
    databaseUrl,
    values: config,
  } = loadServiceConfig('EXPLAINER_PORT', 3003, explainerVariables, env);
  return {
    port,
    databaseUrl,
    cachedModels: config.EXPLAINER_CACHED_MODELS,
    nice: config.EXPLAINER_NICE,
  };
}
