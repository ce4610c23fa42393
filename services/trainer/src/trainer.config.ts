import { loadServiceConfig } from '@hydra/service';
import { z } from 'zod';

export interface TrainerConfig {
  port: number;
  databaseUrl: string;
  /** How often a running job says it is alive (and learns whether it was cancelled). */
  heartbeatMs: number;
  /**
   * A running job silent this long is failed: its trainer died and no replica took it over (one
   * that receives the job's message again resumes it as soon as the heartbeat is four beats late).
   */
  staleJobMs: number;
}

export const TRAINER_CONFIG = Symbol('TRAINER_CONFIG');

const trainerVariables = {
  TRAINER_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5_000),
  TRAINER_STALE_JOB_MS: z.coerce.number().int().min(1_000).default(120_000),
};

export function trainerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TrainerConfig {
  const {
    port,
    databaseUrl,
    values: config,
  } = loadServiceConfig('TRAINER_PORT', 3004, trainerVariables, env);
  return {
    port,
    databaseUrl,
    heartbeatMs: config.TRAINER_HEARTBEAT_MS,
    staleJobMs: config.TRAINER_STALE_JOB_MS,
  };
}
