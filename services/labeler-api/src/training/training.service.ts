import { randomUUID } from 'node:crypto';
import { Subjects, type TrainingEstimate, type TrainingOptions, trainingOptions } from '@hydra/contracts';
import { Image, PlotType, TrainingJob } from '@hydra/db';
import { EventPublisher } from '@hydra/messaging';
import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { PlotAccessService } from '../auth/plot-access.service';
import type { Principal } from '../auth/principal';
import { estimateTraining } from './training-estimate';

/** Push-button training: queue a job (one active per plot type), follow it, cancel it. */
@Injectable()
export class TrainingService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly access: PlotAccessService,
  ) {}

  /** The queued job, with what it will cost said up front. */
  async request(
    actor: Principal,
    plotType: string,
    options: TrainingOptions,
  ): Promise<TrainingJob & { estimate: TrainingEstimate }> {
    await this.access.assert(actor, plotType, 'train');
    const by = actor.name;
    if (!(await this.dataSource.getRepository(PlotType).existsBy({ name: plotType })))
      throw new NotFoundException(`no plot type "${plotType}"`);
    const id = randomUUID();
    try {
      await this.dataSource
        .getRepository(TrainingJob)
        .insert({ id, plotType, requestedBy: by, options, status: 'queued' });
    } catch (error) {
      // The partial unique index allows one queued or running job per plot type.
      if (
        error instanceof QueryFailedError &&
        error.message.includes('training_job_one_active_per_plot_type')
      ) {
        const active = await this.dataSource.getRepository(TrainingJob).findOneBy([
          { plotType, status: 'queued' },
          { plotType, status: 'running' },
        ]);
        throw new ConflictException(`${plotType} is already being trained (job ${active?.id ?? 'unknown'})`);
      }
      throw error;
    }
    try {
      await this.events.publish(Subjects.trainingRequested, {
        jobId: id,
        plotType,
        requestedBy: by,
        options,
      });
    } catch (error) {
      await this.dataSource
        .getRepository(TrainingJob)
        .update(
          { id },
          { status: 'failed', error: `could not queue: ${(error as Error).message}`, finishedAt: new Date() },
        );
      throw error;
    }
    return { ...(await this.job(id)), estimate: await this.estimate(plotType, options) };
  }

  /** What training with these options would cost now, before anyone presses "Train". */
  async estimate(plotType: string, options: TrainingOptions): Promise<TrainingEstimate> {
    const found = await this.dataSource.getRepository(PlotType).findOneBy({ name: plotType });
    if (!found) throw new NotFoundException(`no plot type "${plotType}"`);
    // Invalid stored defaults fail the trainer's job with the reason; the estimate ignores them.
    const defaults = trainingOptions.safeParse(found.trainingDefaults).data ?? {};
    // What the trainer draws from (labeled-images.repository.ts), per class, and the newest image's size.
    const counted: { images: string }[] = await this.dataSource.query(
      `SELECT count(*) AS images FROM image_label il
         JOIN image i ON i.id = il.image_id JOIN label l ON l.id = il.label_id
        WHERE i.plot_type = $1 AND NOT l.excluded_from_training AND i.training_weight > 0
        GROUP BY l.id`,
      [plotType],
    );
    const newest = await this.dataSource
      .getRepository(Image)
      .findOne({ where: { plotType }, order: { capturedAt: 'DESC' }, select: { width: true, height: true } });
    return estimateTraining(
      defaults,
      options,
      counted.map((row) => Number(row.images)),
      newest ?? undefined,
    );
  }

  async job(id: string): Promise<TrainingJob> {
    const job = await this.dataSource.getRepository(TrainingJob).findOneBy({ id });
    if (!job) throw new NotFoundException(`no training job ${id}`);
    return job;
  }

  /** The trainer notices at its next heartbeat and stops. */
  async cancel(actor: Principal, id: string): Promise<TrainingJob> {
    await this.access.assert(actor, (await this.job(id)).plotType, 'train');
    const result = await this.dataSource
      .createQueryBuilder()
      .update(TrainingJob)
      .set({ status: 'cancelled', error: `cancelled by ${actor.name}`, finishedAt: () => 'now()' })
      .where("id = :id AND status IN ('queued', 'running')", { id })
      .execute();
    const job = await this.job(id);
    if (!result.affected)
      throw new ConflictException(
        `job ${id} is ${job.status}; only a queued or running job can be cancelled`,
      );
    return job;
  }
}
