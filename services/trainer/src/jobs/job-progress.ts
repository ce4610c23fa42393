import { Subjects, type TrainingPhase } from '@hydra/contracts';
import type { EventPublisher } from '@hydra/messaging';
import type { EpochProgress } from '@hydra/ml';
import type { Logger } from '@nestjs/common';

/** In a run that cross-validates: the round being trained (1-based; null: the candidate itself) of how many. */
export interface FoldProgress {
  fold: number | null;
  folds: number;
}

/** In a run with several candidate models: the one being trained (1-based) of how many, and its input's residuals. */
export interface CandidateProgress {
  candidate: number;
  candidates: number;
  medianResidual: number;
  goodReference: boolean;
}

/** Where a job stands, beyond its phase. */
export interface ProgressDetail {
  epoch?: EpochProgress;
  totalEpochs?: number;
  fold?: FoldProgress;
  candidate?: CandidateProgress;
}

/** A job's `training.progress` events, published in the order they happen; the latest is kept for its heartbeat. */
export class JobProgress {
  /** The last event published, recorded in the job row by the heartbeat. */
  latest: Record<string, unknown> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly jobId: string,
    private readonly events: EventPublisher,
    private readonly logger: Logger,
  ) {}

  /** Publishes after every event before it; rejects when this one could not be published. */
  publish(phase: TrainingPhase, detail: ProgressDetail = {}): Promise<void> {
    const sent = this.queue.then(() => this.send(phase, detail));
    this.queue = sent.catch(() => undefined);
    return sent;
  }

  /** For events nobody waits on (each epoch): a failure to publish is logged, never left unhandled. */
  report(phase: TrainingPhase, detail: ProgressDetail = {}): void {
    this.publish(phase, detail).catch((error: Error) =>
      this.logger.warn(`progress of job ${this.jobId} (${phase}) not published: ${error.message}`),
    );
  }

  private async send(
    phase: TrainingPhase,
    { epoch, totalEpochs, fold, candidate }: ProgressDetail,
  ): Promise<void> {
    this.latest = await this.events.publish(Subjects.trainingProgress, {
      jobId: this.jobId,
      phase,
      epoch: epoch ? epoch.epoch + 1 : null,
      totalEpochs: totalEpochs ?? null,
      loss: finite(epoch?.loss),
      valLoss: finite(epoch?.valLoss),
      accuracy: finite(epoch?.accuracy),
      valAccuracy: finite(epoch?.valAccuracy),
      etaS: epoch ? epoch.etaS : null,
      fold: fold?.fold ?? null,
      totalFolds: fold?.folds ?? null,
      candidate: candidate?.candidate ?? null,
      totalCandidates: candidate?.candidates ?? null,
      medianResidual: candidate?.medianResidual ?? null,
      goodReference: candidate?.goodReference ?? null,
    });
  }
}

function finite(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : Math.max(0, value);
}
