import { EventPublisher } from '@hydra/messaging';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { TRAINER_CONFIG, type TrainerConfig } from '../trainer.config';
import { JobProgress } from './job-progress';
import { TrainingJobRepository } from './training-job.repository';

/** Fails jobs whose trainer died, so no job stays `running` forever; at start-up and then periodically. */
@Injectable()
export class StaleJobSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StaleJobSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
    private readonly jobs: TrainingJobRepository,
    private readonly events: EventPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.staleJobMs / 2);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    try {
      for (const jobId of await this.jobs.failStale(this.config.staleJobMs)) {
        this.logger.warn(`job ${jobId} lost its trainer; marked failed`);
        await new JobProgress(jobId, this.events, this.logger).publish('failed');
      }
    } catch (error) {
      this.logger.error(`stale job sweep failed: ${(error as Error).message}`);
    }
  }
}
