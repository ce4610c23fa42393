import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { TRAINER_CONFIG, type TrainerConfig } from '../trainer.config';
import { TrainingJobRepository } from './training-job.repository';

/** Heartbeats a running job may miss before its trainer counts as gone and the job may be taken over. */
const MISSED_BEATS = 4;

/** The reason every wait and job of a stopping trainer is aborted with. */
export const SHUTTING_DOWN = 'the trainer is shutting down';

/**
 * Whose turn a job is: a job running on another trainer is waited out — the broker keeps the
 * message meanwhile — until it ends or its heartbeat stops, however the broker's ack wait compares
 * with the heartbeat.
 */
@Injectable()
export class JobTurns implements OnModuleDestroy {
  private readonly stopping = new AbortController();

  constructor(
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
    private readonly jobs: TrainingJobRepository,
  ) {}

  /** Aborted (reason SHUTTING_DOWN) when the process is asked to stop. */
  get shutdown(): AbortSignal {
    return this.stopping.signal;
  }

  /** How old a running job's heartbeat must be before another trainer takes the job over. */
  get takeoverMs(): number {
    return this.config.heartbeatMs * MISSED_BEATS;
  }

  onModuleDestroy(): void {
    this.stopping.abort(SHUTTING_DOWN);
  }

  /**
   * `take()` now, and again every heartbeat while the job runs on another trainer whose heartbeat is
   * fresh; resolves with what `take` gave, or null once the job has ended (or never existed).
   * `waiting` hears the first wait. Rejects (the signal's reason) when the process stops meanwhile.
   */
  async whenFree<T>(jobId: string, take: () => Promise<T | null>, waiting: () => void): Promise<T | null> {
    for (let round = 0; ; round++) {
      if (this.shutdown.aborted) throw new Error(`job ${jobId}: ${SHUTTING_DOWN}`);
      const taken = await take();
      if (taken !== null) return taken;
      const status = await this.jobs.status(jobId);
      if (status !== 'running' && status !== 'queued') return null;
      if (round === 0) waiting();
      await sleep(this.config.heartbeatMs, undefined, { signal: this.shutdown }).catch(() => undefined);
    }
  }
}
