import type { TrainingProgressEvent } from '@hydra/contracts';
import { Model, PlotType } from '@hydra/db';
import { waitFor } from '@hydra/messaging/testing';
import {
  OPEN_GATES,
  PLOT,
  phasesOf,
  phasesUntil,
  startTrainerBed,
  type TrainerBed,
} from './support/trainer-bed';

// Each job trains the candidate and three fold models (small, a few seconds each) on its thread.
jest.setTimeout(120_000);

let trainer: TrainerBed;
/** Labeled images per class. */
let counts: Record<string, number>;
/** The candidate the first test trains. */
let trainedId: string;

beforeAll(async () => {
  trainer = await startTrainerBed('hydra_trainer_cross_validation');
  await trainer.labelPlots(40, 23);
  const rows: { label: string; images: string }[] = await trainer.bed.db.query(
    `SELECT l.name AS label, count(*) AS images FROM image_label il JOIN label l ON l.id = il.label_id GROUP BY l.name`,
  );
  counts = Object.fromEntries(rows.map((row) => [row.label, Number(row.images)]));
  await trainer.startTrainer();
}, 300_000);

afterAll(() => trainer?.stop());

const progressOf = (jobId: string): TrainingProgressEvent[] =>
  trainer.events
    .of('training.progress')
    .filter((event) => event.jobId === jobId) as unknown as TrainingProgressEvent[];
const QUICK = { epochs: 2, batchSize: 8, input: { height: 32, width: 32 }, crossValidationFolds: 3 };

interface CrossValidation {
  folds: number;
  count: number;
  accuracyInterval: { n: number };
  perClass: { label: string; support: number; recallInterval: { n: number } }[];
  rounds: { testImages: number }[];
}

describe('cross-validation where the labeled images are few', () => {
  it('judges every labeled image once, and the gates judge those figures', async () => {
    // Every class has at least this many images, but its test split (15 %) far fewer: only the
    // cross-validated figures can pass this gate.
    const fewest = Math.min(...Object.values(counts));
    await trainer.bed.db
      .getRepository(PlotType)
      .update({ name: PLOT }, { trainingGates: { ...OPEN_GATES, minTestPerClass: fewest } });
    const jobId = await trainer.requestTraining(QUICK);
    await trainer.waitForStatus(jobId, 'succeeded', 110_000);

    const model = await trainer.bed.db.getRepository(Model).findOneByOrFail({ trainingJobId: jobId });
    const metrics = model.metrics as {
      crossValidation: CrossValidation;
      report: { count: number; perClass: { support: number }[] };
      warnings: string[];
    };
    expect(model.status).toBe('candidate');
    trainedId = model.id;
    expect(Math.min(...metrics.report.perClass.map((row) => row.support))).toBeLessThan(fewest);
    const { crossValidation } = metrics;
    expect(crossValidation).toMatchObject({ folds: 3, count: 40, accuracyInterval: { n: 40 } });
    expect(crossValidation.rounds.map((round) => round.testImages).reduce((sum, n) => sum + n)).toBe(40);
    for (const row of crossValidation.perClass) {
      expect(row.support).toBe(counts[row.label] ?? 0);
      expect(row.recallInterval.n).toBe(row.support);
    }
    expect(metrics.warnings[0]).toBe(
      `the class gates judged 3-fold cross-validation over all 40 labeled images (each predicted once by a model that never trained on it); the other figures are the candidate's on its ${metrics.report.count} test images`,
    );

    // Progress names each round after the candidate's own training.
    expect(await phasesUntil(trainer.events, jobId)).toEqual([
      'preparing',
      'training',
      'validating',
      'cross-validating',
      'saving',
      'done',
    ]);
    const rounds = progressOf(jobId).filter((event) => event.phase === 'cross-validating');
    expect([...new Set(rounds.map((event) => `${event.fold}/${event.totalFolds}`))]).toEqual([
      '1/3',
      '2/3',
      '3/3',
    ]);
    expect(rounds.filter((event) => event.epoch !== null)).toHaveLength(3 * QUICK.epochs);
  });

  it('never cross-validates a fine-tune, whose starting weights may have seen every image, and says so', async () => {
    const jobId = await trainer.requestTraining({
      ...QUICK,
      epochs: 1,
      input: undefined,
      parentModelId: trainedId,
    });
    await trainer.waitForStatus(jobId, 'succeeded', 110_000);
    const model = await trainer.bed.db.getRepository(Model).findOneByOrFail({ trainingJobId: jobId });
    const metrics = model.metrics as { crossValidation: unknown; warnings: string[] };
    expect(metrics.crossValidation).toBeNull();
    expect(metrics.warnings).toContain(
      `not cross-validated although the images are few: the fine-tuned model ${trainedId} may have trained on any of them`,
    );
    expect(await phasesUntil(trainer.events, jobId)).not.toContain('cross-validating');
  });

  it('stops the folds when the job is cancelled', async () => {
    await trainer.bed.db.getRepository(PlotType).update({ name: PLOT }, { trainingGates: OPEN_GATES });
    const jobId = await trainer.requestTraining({ ...QUICK, epochs: 30, patience: 100 });
    await waitFor(
      () => progressOf(jobId).some((event) => event.phase === 'cross-validating' && event.epoch !== null),
      'a fold to be training',
      110_000,
    );
    // What labeler-api does for "Cancel": the trainer's next heartbeat notices.
    await trainer.bed.db.query(`UPDATE training_job SET status = 'cancelled' WHERE id = $1`, [jobId]);
    await waitFor(() => phasesOf(trainer.events, jobId).at(-1) === 'cancelled', 'the job to stop', 30_000);
    expect(await trainer.bed.db.getRepository(Model).countBy({ trainingJobId: jobId })).toBe(0);
  });
});
