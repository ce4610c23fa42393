import { createHash, randomUUID } from 'node:crypto';
import { Subjects, type TrainingRequestedEvent } from '@hydra/contracts';
import { EventPublisher } from '@hydra/messaging';
import { TrainingCancelledError } from '@hydra/ml';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobProgress } from '../jobs/job-progress';
import { JobTurns, SHUTTING_DOWN } from '../jobs/job-turns';
import { TrainingJobRepository } from '../jobs/training-job.repository';
import { TRAINER_CONFIG, type TrainerConfig } from '../trainer.config';
import { CandidateTrainingService } from './candidate-training.service';

const CANCELLED = 'the job is no longer running (cancelled by a person)';

/**
 * One press of "Train", start to finish: take the job (waiting out a trainer still on it), train
 * with progress and heartbeats, record how it ended. A trainer that is stopped hands the job on
 * without using up one of the request's delivery attempts.
 */
@Injectable()
export class TrainingRunService {
  private readonly logger = new Logger(TrainingRunService.name);

  constructor(
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
    private readonly jobs: TrainingJobRepository,
    private readonly turns: JobTurns,
    private readonly candidates: CandidateTrainingService,
    private readonly events: EventPublisher,
  ) {}

  /** `sequence`: the request's stream sequence, which names the request this one is handed on as. */
  async run(request: TrainingRequestedEvent, sequence: number | null): Promise<void> {
    let claimed = false;
    try {
      const job = await this.turns.whenFree(
        request.jobId,
        () => this.jobs.claim(request.jobId, this.turns.takeoverMs),
        () =>
          this.logger.log(
            `job ${request.jobId} is running on another trainer; waiting until it ends or its heartbeat stops`,
          ),
      );
      if (!job) {
        this.logger.log(`job ${request.jobId} has ended (or does not exist); nothing to do`);
        return;
      }
      claimed = true;
      await this.train(request);
    } catch (error) {
      if (!this.turns.shutdown.aborted) throw error;
      await this.handOn(request, sequence, claimed);
    }
  }

  private async train(request: TrainingRequestedEvent): Promise<void> {
    const { jobId } = request;
    const progress = new JobProgress(jobId, this.events, this.logger);
    const cancel = new AbortController();
    const signal = AbortSignal.any([cancel.signal, this.turns.shutdown]);
    const heartbeat = setInterval(() => {
      void this.jobs.heartbeat(jobId, progress.latest).then(
        (running) => running || cancel.abort(CANCELLED),
        (error: Error) => this.logger.warn(`heartbeat of job ${jobId}: ${error.message}`),
      );
    }, this.config.heartbeatMs);
    try {
      await this.candidates.train(request, progress, signal);
      await this.jobs.finish(jobId, 'succeeded');
    } catch (error) {
      if (signal.reason === SHUTTING_DOWN) {
        await this.jobs.requeue(jobId);
        throw error;
      }
      const cancelled = error instanceof TrainingCancelledError;
      this.logger.warn(`job ${jobId} ${cancelled ? 'cancelled' : `failed: ${(error as Error).message}`}`);
      await this.jobs.finish(
        jobId,
        cancelled ? 'cancelled' : 'failed',
        cancelled ? null : (error as Error).message,
      );
      await progress.publish(cancelled ? 'cancelled' : 'failed');
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * A stopping trainer re-publishes the request under a new id and lets the broker forget this
   * delivery: pods stop on every roll-out, and each stop must not count as a failed attempt.
   */
  private async handOn(request: TrainingRequestedEvent, sequence: number | null, claimed: boolean) {
    const id = sequence === null ? randomUUID() : resumeId(request.jobId, sequence);
    await this.events.publish(Subjects.trainingRequested, {
      id,
      jobId: request.jobId,
      plotType: request.plotType,
      requestedBy: request.requestedBy,
      options: request.options,
    });
    this.logger.log(
      claimed
        ? `trainer stopping with job ${request.jobId} in hand: put back in the queue as request ${id}; the next trainer trains it from the start`
        : `trainer stopping while waiting on job ${request.jobId}: request handed on as ${id}`,
    );
  }
}

/**
 * The same id for every hand-on of one delivery (a trainer that dies between re-publishing and
 * acknowledging is redelivered the request and hands it on again: the broker drops the copy).
 */
function resumeId(jobId: string, sequence: number): string {
  const hex = createHash('sha256').update(`${jobId}:resume:${sequence}`).digest('hex');
  // Laid out as a name-based UUID (version 5, RFC 4122 variant), as every message id must be a UUID.
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
