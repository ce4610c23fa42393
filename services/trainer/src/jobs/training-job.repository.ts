import { TrainingJob } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Queued, or running with a heartbeat older than `:stale` seconds: no trainer is on the job. */
const UNATTENDED = `(status = 'queued' OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => :stale)))`;

/** The life of a training job row, as the trainer moves it along. */
@Injectable()
export class TrainingJobRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Takes the job if it is queued, or running with a heartbeat older than `staleMs` (its trainer
   * died: the job is resumed from the start). Null when it is someone else's or finished.
   */
  async claim(jobId: string, staleMs: number): Promise<TrainingJob | null> {
    const rows: TrainingJob[] = await this.dataSource
      .createQueryBuilder()
      .update(TrainingJob)
      .set({ status: 'running', startedAt: () => 'now()', heartbeatAt: () => 'now()', error: null })
      .where('id = :jobId', { jobId })
      .andWhere(UNATTENDED, { stale: staleMs / 1000 })
      .returning('*')
      .execute()
      .then((result) => result.raw as TrainingJob[]);
    return rows.length > 0 ? this.dataSource.getRepository(TrainingJob).findOneBy({ id: jobId }) : null;
  }

  /** Null when there is no such job. */
  async status(jobId: string): Promise<TrainingJob['status'] | null> {
    const job = await this.dataSource
      .getRepository(TrainingJob)
      .findOne({ select: { status: true }, where: { id: jobId } });
    return job?.status ?? null;
  }

  /** Records liveness and progress; false when the job is no longer running (cancelled by a person). */
  async heartbeat(jobId: string, progress?: Record<string, unknown>): Promise<boolean> {
    // For an UPDATE, TypeORM's postgres driver answers [rows, affected].
    const [, affected]: [unknown[], number] = await this.dataSource.query(
      `UPDATE training_job SET heartbeat_at = now(), progress = COALESCE($2::jsonb, progress)
        WHERE id = $1 AND status = 'running'`,
      [jobId, progress ? JSON.stringify(progress) : null],
    );
    return affected > 0;
  }

  async finish(
    jobId: string,
    status: 'succeeded' | 'failed' | 'cancelled',
    error: string | null = null,
  ): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(TrainingJob)
      .set({ status, error, finishedAt: () => 'now()' })
      .where("id = :jobId AND status IN ('queued', 'running')", { jobId })
      .execute();
  }

  /** Puts a job this trainer is giving up (it is shutting down) back in the queue for another. */
  async requeue(jobId: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(TrainingJob)
      .set({ status: 'queued', heartbeatAt: null, startedAt: null })
      .where("id = :jobId AND status = 'running'", { jobId })
      .execute();
  }

  /**
   * Fails a job nobody will train any more (its request was dead-lettered): queued, or running with a
   * heartbeat older than `staleMs`; true when it did.
   */
  async failAbandoned(jobId: string, staleMs: number, error: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(TrainingJob)
      .set({ status: 'failed', error, finishedAt: () => 'now()' })
      .where('id = :jobId', { jobId })
      .andWhere(UNATTENDED, { stale: staleMs / 1000 })
      .returning(['id'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  /** Fails the running jobs whose trainer stopped beating; returns their ids. */
  async failStale(staleMs: number): Promise<string[]> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(TrainingJob)
      .set({
        status: 'failed',
        error: 'the trainer running this job stopped (no heartbeat)',
        finishedAt: () => 'now()',
      })
      .where(`status = 'running' AND heartbeat_at < now() - make_interval(secs => :stale)`, {
        stale: staleMs / 1000,
      })
      .returning(['id'])
      .execute();
    return (result.raw as { id: string }[]).map((row) => row.id);
  }
}
