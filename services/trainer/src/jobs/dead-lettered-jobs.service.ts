import { type DeadLetterEvent, parseEvent, Subjects } from '@hydra/contracts';
import { EventPublisher } from '@hydra/messaging';
import { Injectable, Logger } from '@nestjs/common';
import { JobProgress } from './job-progress';
import { JobTurns } from './job-turns';
import { TrainingJobRepository } from './training-job.repository';

/**
 * A training request the broker gave up on (every attempt failed, or trainers kept dying on it)
 * would leave its job queued or running forever, refusing every new request for the plot type:
 * the job is failed with the reason instead, once no trainer is on it.
 */
@Injectable()
export class DeadLetteredJobsService {
  private readonly logger = new Logger(DeadLetteredJobsService.name);

  constructor(
    private readonly jobs: TrainingJobRepository,
    private readonly turns: JobTurns,
    private readonly events: EventPublisher,
  ) {}

  async fail(deadLetter: DeadLetterEvent): Promise<void> {
    const request = parseEvent(Subjects.trainingRequested, parseJson(deadLetter.payload));
    if (!request.ok) {
      this.logger.warn(`a dead-lettered training request names no job (${request.error}); nothing to fail`);
      return;
    }
    const { jobId } = request.value;
    const error = `the training request was given up after ${deadLetter.attempts} deliveries: ${deadLetter.reason}`;
    const failed = await this.turns.whenFree(
      jobId,
      async () => ((await this.jobs.failAbandoned(jobId, this.turns.takeoverMs, error)) ? true : null),
      () =>
        this.logger.log(`job ${jobId}, dead-lettered, is running on a trainer; failing it if that one stops`),
    );
    if (!failed) return;
    this.logger.warn(`job ${jobId} failed: ${error}`);
    await new JobProgress(jobId, this.events, this.logger).publish('failed');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
