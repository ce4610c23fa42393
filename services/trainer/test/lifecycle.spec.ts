import { randomUUID } from 'node:crypto';
import { deadLetterSubject, Subjects } from '@hydra/contracts';
import { TrainingJob } from '@hydra/db';
import { buildEvent } from '@hydra/messaging';
import { NATS_URL, waitFor } from '@hydra/messaging/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { In } from 'typeorm';
import { PLOT, phasesOf, startTrainerBed, type TrainerBed } from './support/trainer-bed';

// Trainers start (and load TensorFlow.js on their training thread) several times per test.
jest.setTimeout(120_000);

let trainer: TrainerBed;

/** Quick epochs, and enough of them that a run is still training when it is stopped. */
const SLOW_TO_FINISH = { epochs: 30, patience: 100, batchSize: 8, input: { height: 32, width: 32 } };

beforeAll(async () => {
  trainer = await startTrainerBed('hydra_trainer_lifecycle');
  await trainer.labelPlots(30, 5);
}, 120_000);

// Each test starts with no job active on the plot type, whatever the one before left.
afterEach(() =>
  trainer.bed.db
    .getRepository(TrainingJob)
    .update({ status: In(['queued', 'running']) }, { status: 'cancelled', finishedAt: new Date() }),
);

afterAll(() => trainer?.stop());

const requestsFor = (jobId: string) =>
  trainer.events.of(Subjects.trainingRequested).filter((event) => event.jobId === jobId);
const epochsOf = (jobId: string) =>
  trainer.events
    .of(Subjects.trainingProgress)
    .filter((event) => event.jobId === jobId && event.epoch !== null);
const DEAD_LETTERS = deadLetterSubject(Subjects.trainingRequested) as `dlq.${string}`;
const deadLettersOf = (jobId: string) =>
  trainer.events.of(DEAD_LETTERS).filter((event) => (event.payload as string).includes(jobId));

/** A job row as a trainer that has just died leaves it: running, heartbeat fresh. */
async function jobOfDeadTrainer(): Promise<string> {
  const jobId = randomUUID();
  await trainer.bed.db.getRepository(TrainingJob).insert({
    id: jobId,
    plotType: PLOT,
    requestedBy: 'expert',
    options: SLOW_TO_FINISH,
    status: 'running',
    startedAt: new Date(),
    heartbeatAt: new Date(),
  });
  return jobId;
}

const beat = (jobId: string) =>
  trainer.bed.db.getRepository(TrainingJob).update({ id: jobId }, { heartbeatAt: new Date() });

/** Nothing of the trainer's request consumer is waiting or unacknowledged. */
async function requestsSettled(): Promise<boolean> {
  const nats = await connect({ servers: NATS_URL });
  try {
    const consumer = await (
      await jetstreamManager(nats)
    ).consumers.info(trainer.bed.namespace.stream, 'trainer__training_requested');
    return consumer.num_pending === 0 && consumer.num_ack_pending === 0;
  } finally {
    await nats.close();
  }
}

describe('a job through stops, crashes and dead letters', () => {
  it('is handed on by each stopped trainer without using up its attempts, and still trains', async () => {
    const jobId = await trainer.requestTraining(SLOW_TO_FINISH);
    // One more stop than the request has attempts (3).
    for (let stop = 1; stop <= 4; stop++) {
      const app = await trainer.startTrainer();
      const before = epochsOf(jobId).length;
      await waitFor(() => epochsOf(jobId).length > before, `an epoch on trainer ${stop}`, 60_000);
      await app.close();
      expect((await trainer.job(jobId)).status).toBe('queued');
      await waitFor(() => requestsFor(jobId).length === stop + 1, `request ${jobId} handed on ${stop} times`);
    }
    const ids = requestsFor(jobId).map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);

    const app = await trainer.startTrainer();
    await trainer.waitForStatus(jobId, 'succeeded', 60_000);
    expect(deadLettersOf(jobId)).toEqual([]);
    await app.close();
  });

  it('fails a job whose request was dead-lettered, with the reason', async () => {
    const app = await trainer.startTrainer();
    const jobId = randomUUID();
    await trainer.bed.db
      .getRepository(TrainingJob)
      .insert({ id: jobId, plotType: PLOT, requestedBy: 'expert', options: {}, status: 'queued' });
    const request = buildEvent(Subjects.trainingRequested, {
      jobId,
      plotType: PLOT,
      requestedBy: 'expert',
      options: {},
    });
    // A payload that names no job is logged and left alone.
    await trainer.publish(DEAD_LETTERS, deadLetter('{"not":"a request"}'));
    await trainer.publish(DEAD_LETTERS, deadLetter(JSON.stringify(request)));

    const job = await trainer.waitForStatus(jobId, 'failed', 15_000);
    expect(job.error).toBe(
      'the training request was given up after 4 deliveries: delivered 4 times without an outcome',
    );
    await waitFor(() => phasesOf(trainer.events, jobId).includes('failed'), 'the failed progress event');
    await app.close();
  });

  it('fails a dead-lettered job only once the trainer still on it stops beating', async () => {
    const app = await trainer.startTrainer({ heartbeatMs: 200 });
    const jobId = await jobOfDeadTrainer();
    const request = buildEvent(Subjects.trainingRequested, {
      jobId,
      plotType: PLOT,
      requestedBy: 'expert',
      options: {},
    });
    await trainer.publish(DEAD_LETTERS, deadLetter(JSON.stringify(request)));
    // Beating for ten heartbeats (takeover after four): the job is left running all along.
    for (let round = 0; round < 20; round++) {
      await beat(jobId);
      expect((await trainer.job(jobId)).status).toBe('running');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await trainer.waitForStatus(jobId, 'failed', 10_000);
    await app.close();
  });

  it('waits out a killed trainer when the ack wait is shorter than four heartbeats, then takes the job over', async () => {
    const app = await trainer.startTrainer({ heartbeatMs: 1_000 }, { ackWaitMs: 1_000 });
    const jobId = await jobOfDeadTrainer();
    const diedAt = (await trainer.job(jobId)).heartbeatAt as Date;
    await trainer.publish(Subjects.trainingRequested, {
      jobId,
      plotType: PLOT,
      requestedBy: 'expert',
      options: { ...SLOW_TO_FINISH, epochs: 2 },
    });
    const job = await trainer.waitForStatus(jobId, 'succeeded', 60_000);
    expect((job.startedAt as Date).getTime()).toBeGreaterThanOrEqual(diedAt.getTime() + 4_000);
    expect(deadLettersOf(jobId)).toEqual([]);
    await app.close();
  });

  it('waits for a job running elsewhere to end, then lets its request go', async () => {
    const app = await trainer.startTrainer({ heartbeatMs: 200 }, { ackWaitMs: 1_000 });
    const jobId = await jobOfDeadTrainer();
    await trainer.publish(Subjects.trainingRequested, {
      jobId,
      plotType: PLOT,
      requestedBy: 'expert',
      options: SLOW_TO_FINISH,
    });
    // The other trainer beats for a while (past the ack wait), then finishes.
    for (let round = 0; round < 15; round++) {
      await beat(jobId);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await requestsSettled()).toBe(false);
    await trainer.bed.db
      .getRepository(TrainingJob)
      .update({ id: jobId }, { status: 'succeeded', finishedAt: new Date() });
    await waitFor(requestsSettled, 'the request to be acknowledged');
    expect(phasesOf(trainer.events, jobId)).toEqual([]);
    expect(deadLettersOf(jobId)).toEqual([]);
    await app.close();
  });
});

function deadLetter(payload: string) {
  return {
    subject: Subjects.trainingRequested,
    consumer: 'trainer__training_requested',
    reason: 'delivered 4 times without an outcome',
    attempts: 4,
    streamSequence: 1,
    messageId: null,
    payload,
    failedAt: new Date().toISOString(),
  };
}
