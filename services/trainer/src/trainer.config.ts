import { configVars, loadConfig } from '@hydra/runtime';
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

const trainerEnvironment = z.object({
  DATABASE_URL: configVars.url(['postgres', 'postgresql']),
  TRAINER_PORT: configVars.port(3004),
  TRAINER_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5_000),
  TRAINER_STALE_JOB_MS: z.coerce.number().int().min(1_000).default(120_000),
});

export function trainerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TrainerConfig {
  const config = loadConfig(trainerEnvironment, env);
  return {
    port: config.TRAINER_PORT,
    databaseUrl: config.DATABASE_URL,
    heartbeatMs: config.TRAINER_HEARTBEAT_MS,
    staleJobMs: config.TRAINER_STALE_JOB_MS,
  };
}
