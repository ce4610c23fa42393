import {
  type DeadLetterEvent,
  deadLetterSubject,
  Subjects,
  type TrainingRequestedEvent,
} from '@hydra/contracts';
import { EventContext } from '@hydra/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DeadLetteredJobsService } from './jobs/dead-lettered-jobs.service';
import { TrainingRunService } from './training/training-run.service';

/** Training requests queue durably; each replica trains one at a time. */
@Controller()
export class TrainerEvents {
  constructor(
    private readonly runs: TrainingRunService,
    private readonly deadLettered: DeadLetteredJobsService,
  ) {}

  // A failed job is recorded as failed, not retried behind the user's back; a trainer that dies
  // mid-job leaves the message unacknowledged, so another replica resumes it, and one that is
  // stopped hands it on as a new message. Attempts run out only on a trainer dying or erring again and again.
  @EventPattern(Subjects.trainingRequested, { concurrency: 1, prefetch: 1, maxDeliver: 3 })
  trainingRequested(@Payload() request: TrainingRequestedEvent, @Ctx() context: EventContext): Promise<void> {
    return this.runs.run(request, context.getSequence());
  }

  // Several at once: one may wait out a trainer still on its job.
  @EventPattern(deadLetterSubject(Subjects.trainingRequested), { concurrency: 4, prefetch: 4 })
  trainingDeadLettered(@Payload() deadLetter: DeadLetterEvent): Promise<void> {
    return this.deadLettered.fail(deadLetter);
  }
}
