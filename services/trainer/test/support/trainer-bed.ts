import { randomUUID } from 'node:crypto';
import { type Subject, Subjects, type TrainingOptions } from '@hydra/contracts';
import { PlotType, TrainingJob } from '@hydra/db';
import {
  buildEvent,
  defaultJetStreamOptions,
  type DeliveryPolicy,
  type EventInput,
  JetStreamConnection,
} from '@hydra/messaging';
import { NATS_URL, recordEvents, waitFor } from '@hydra/messaging/testing';
import { simulateDataset } from '@hydra/simulator';
import { labelImages, type ServiceTestBed, startServiceTestBed, storeImage } from '@hydra/testing';
import type { INestApplication } from '@nestjs/common';
import { createTrainerApp } from '../../src/trainer.app';
import type { TrainerConfig } from '../../src/trainer.config';

export const PLOT = 'FCAL_occupancy';

/** Gates any quick model passes: these tests are about the job, not the model's quality. */
export const OPEN_GATES = { minTestPerClass: 0, minBadRecall: 0, maxRegression: 1 };

/** One training per job unless a test asks for cross-validation (the default where images are few). */
const TRAINING_DEFAULTS = { crossValidationFolds: 0 };

/** Trainers in this process on a database, stream and store of their own; requests sent as labeler-api does. */
export interface TrainerBed {
  bed: ServiceTestBed;
  /** Everything published in the test's namespace. */
  events: Awaited<ReturnType<typeof recordEvents>>;
  /** A trainer app, consuming; closed by `stop` unless closed before. */
  startTrainer(
    config?: Partial<TrainerConfig>,
    delivery?: Partial<DeliveryPolicy>,
  ): Promise<INestApplication>;
  /** Stores and labels `count` simulated plots of PLOT (their true labels). */
  labelPlots(count: number, seed: number): Promise<void>;
  /** Queues a job as labeler-api does (row, then `training.requested`); returns its id. */
  requestTraining(options: TrainingOptions): Promise<string>;
  publish<S extends Subject>(subject: S, input: EventInput<S>): Promise<void>;
  job(jobId: string): Promise<TrainingJob>;
  waitForStatus(jobId: string, status: TrainingJob['status'], timeoutMs: number): Promise<TrainingJob>;
  stop(): Promise<void>;
}

export async function startTrainerBed(prefix: string): Promise<TrainerBed> {
  const bed = await startServiceTestBed(prefix);
  // Opening the connection creates the stream the recorder reads.
  const connection = await JetStreamConnection.open({
    ...defaultJetStreamOptions,
    ...bed.namespace,
    servers: [NATS_URL],
    connectionName: 'trainer-test',
  });
  const events = await recordEvents(bed.namespace, '>');
  const apps: INestApplication[] = [];
  await bed.db
    .getRepository(PlotType)
    .upsert({ name: PLOT, trainingGates: OPEN_GATES, trainingDefaults: TRAINING_DEFAULTS }, ['name']);
  const job = (jobId: string) => bed.db.getRepository(TrainingJob).findOneByOrFail({ id: jobId });
  const publish = async <S extends Subject>(subject: S, input: EventInput<S>) => {
    const event = buildEvent(subject, input);
    await connection.publish(subject, JSON.stringify(event), event.id);
  };
  return {
    bed,
    events,
    startTrainer: async (config = {}, delivery = {}) => {
      const app = await createTrainerApp(
        // Two threads per step, as on a machine with cores to spare: the tests train the way it does.
        {
          port: 0,
          databaseUrl: bed.databaseUrl,
          heartbeatMs: 200,
          staleJobMs: 60_000,
          threads: 2,
          ...config,
        },
        bed.connections(bed.store, { delivery }),
      );
      apps.push(app);
      return app;
    },
    labelPlots: async (count, seed) => {
      const items = [];
      for await (const plot of simulateDataset({ plotType: PLOT, count, seed })) {
        const image = await storeImage(bed.db, bed.store, plot, PLOT, plot.png);
        items.push({ imageId: image.id, label: plot.label });
      }
      await labelImages(bed.db, PLOT, items);
    },
    requestTraining: async (options) => {
      const jobId = randomUUID();
      await bed.db
        .getRepository(TrainingJob)
        .insert({ id: jobId, plotType: PLOT, requestedBy: 'expert', options, status: 'queued' });
      await publish(Subjects.trainingRequested, { jobId, plotType: PLOT, requestedBy: 'expert', options });
      return jobId;
    },
    publish,
    job,
    waitForStatus: async (jobId, status, timeoutMs) => {
      await waitFor(
        async () => (await job(jobId)).status === status,
        `job ${jobId} to be ${status}`,
        timeoutMs,
      );
      return job(jobId);
    },
    stop: async () => {
      // Apps first: a trainer stopping hands its job on through the connection closed after it.
      for (const app of apps) await app.close().catch(() => undefined);
      await connection.close();
      await events.stop();
      await bed.stop();
    },
  };
}

/** The phases of a job's `training.progress` events, in order. */
export function phasesOf(events: TrainerBed['events'], jobId: string): string[] {
  return events
    .of('training.progress')
    .filter((event) => event.jobId === jobId)
    .map((event) => event.phase as string);
}

/** The job's phases once each, in order, after its last progress event (`last`: done, or failed) arrived. */
export async function phasesUntil(
  events: TrainerBed['events'],
  jobId: string,
  last: 'done' | 'failed' = 'done',
): Promise<string[]> {
  await waitFor(() => phasesOf(events, jobId).at(-1) === last, `the ${last} progress event`);
  const phases = phasesOf(events, jobId);
  return phases.filter((phase, index) => phase !== phases[index - 1]);
}
