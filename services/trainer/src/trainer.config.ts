import { availableParallelism } from 'node:os';
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
  /**
   * Threads a training step runs on (wasm and cpu backends): 2 gives half of every batch to a
   * second thread. By default 2 where the machine has a core to spare beyond them, else 1, so a
   * trainer sharing two cores with the classifier leaves it one.
   */
  threads: 1 | 2;
}

export const TRAINER_CONFIG = Symbol('TRAINER_CONFIG');

const trainerVariables = {
  TRAINER_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5_000),
  TRAINER_STALE_JOB_MS: z.coerce.number().int().min(1_000).default(120_000),
  TRAINER_THREADS: z.union([z.literal('1'), z.literal('2')]).optional(),
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
    threads: config.TRAINER_THREADS
      ? (Number(config.TRAINER_THREADS) as 1 | 2)
      : availableParallelism() > 2
        ? 2
        : 1,
  };
}
