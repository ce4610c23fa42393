import { Subjects, type TrainingRequestedEvent } from '@hydra/contracts';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TrainingRunService } from './training/training-run.service';

/** Training requests queue durably; each replica trains one at a time. */
@Controller()
export class TrainerEvents {
  constructor(private readonly runs: TrainingRunService) {}

  // One attempt: a failed job is recorded as failed, not retried behind the user's back; a trainer
  // that dies mid-job leaves the message unacknowledged, so another replica resumes it.
  @EventPattern(Subjects.trainingRequested, { concurrency: 1, prefetch: 1, maxDeliver: 3 })
  trainingRequested(@Payload() request: TrainingRequestedEvent): Promise<void> {
    return this.runs.run(request);
  }
}
