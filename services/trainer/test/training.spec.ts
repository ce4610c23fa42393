import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Model } from '@hydra/db';
import {
  BUNDLED_BASE,
  createClassifier,
  DEFAULT_GOOD_REFERENCE,
  disposeBaseWeights,
  imageToInput,
  initialiseBackend,
  loadBaseWeights,
  loadModelArtifacts,
} from '@hydra/ml';
import { TEST_MODEL } from '@hydra/ml/testing';
import { simulatePlot } from '@hydra/simulator';
import { activate, registerTestModel } from '@hydra/testing';
import { PLOT, phasesUntil, startTrainerBed, type TrainerBed } from './support/trainer-bed';

// Each test trains a small model (a few seconds) on a thread that first loads TensorFlow.js.
jest.setTimeout(120_000);

let trainer: TrainerBed;
let productionId: string;

beforeAll(async () => {
  // For reading the trained models back here; the trainer's thread picks its own backend.
  await initialiseBackend();
  trainer = await startTrainerBed('hydra_trainer_training');
  const { modelId } = await registerTestModel(trainer.bed.db, trainer.bed.store, PLOT, {
    Good: 0.5,
    Bad: 0.5,
    NoData: 0.5,
  });
  await activate(trainer.bed.db, PLOT, modelId);
  productionId = modelId;
  await trainer.labelPlots(40, 11);
  await trainer.startTrainer();
}, 300_000);

afterAll(() => trainer?.stop());

const modelOf = (jobId: string) =>
  trainer.bed.db.getRepository(Model).findOneByOrFail({ trainingJobId: jobId });

describe('training on a thread of its own', () => {
  it('trains a candidate, compared with production, while the event loop stays free', async () => {
    // The plot type's title band is painted out of every image; the model must carry that along.
    const titleBand = [{ x: 0, y: 0, width: 1, height: 0.1 }];
    await trainer.bed.db.query(`UPDATE plot_type SET ignore_regions = $2 WHERE name = $1`, [
      PLOT,
      JSON.stringify(titleBand),
    ]);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    // 96×128 inputs in batches of 16: each training step takes hundreds of milliseconds of CPU.
    const jobId = await trainer.requestTraining({
      epochs: 2,
      batchSize: 16,
      input: { height: 96, width: 128 },
    });
    await trainer.waitForStatus(jobId, 'succeeded', 110_000);
    delay.disable();

    expect(delay.percentile(99) / 1e6).toBeLessThan(200);

    const model = await modelOf(jobId);
    // Neither the request nor the plot type chose the input: one candidate was trained on the
    // image alone and one with its Good reference, and the lower validation loss was kept.
    const { candidates } = model.metrics as {
      candidates: { medianResidual: number; goodReference: boolean; validationLoss: number }[];
    };
    expect(candidates.map(({ medianResidual, goodReference }) => [medianResidual, goodReference])).toEqual([
      [0, false],
      [0, true],
    ]);
    const [alone, compared] = candidates.map(({ validationLoss }) => validationLoss) as [number, number];
    const keptReference = compared < alone;
    expect(model).toMatchObject({
      status: 'candidate',
      labels: ['Good', 'Bad', 'NoData'],
      inputShape: [96, 128, keptReference ? 6 : 3],
    });
    // Production judged the same test images, on the training thread.
    const metrics = model.metrics as {
      production: { modelId: string; report: { count: number } };
      report: { count: number };
      options: { startFrom: string };
      base: { sha256: string } | null;
      threads: number;
      dataset: { train: { Good: number } };
    };
    expect(metrics.production).toMatchObject({
      modelId: productionId,
      report: { count: metrics.report.count },
    });
    // hydra-cnn starts from the bundled base by default, and the model says which.
    const base = await loadBaseWeights(BUNDLED_BASE);
    disposeBaseWeights(base);
    expect(metrics.options.startFrom).toBe('base');
    expect(metrics.base?.sha256).toBe(base.sha256);
    // Each step ran on two threads (TRAINER_THREADS, here set by the test bed).
    expect(metrics.threads).toBe(2);
    // The artifacts written through the service thread's store load back, checksums and all.
    const loaded = await loadModelArtifacts(trainer.bed.store, model.artifactPrefix);
    expect(loaded.manifest).toMatchObject({
      architecture: 'hydra-cnn',
      labels: model.labels,
      ignoreRegions: titleBand,
    });
    expect(Boolean(loaded.manifest.input.goodReference)).toBe(keptReference);
    // Its heat maps are measured from those of its Good training plots nearest the plot explained:
    // all of them are kept (as their 8-bit pixels), and no mean over them is computed besides.
    const goodTrainingPlots = metrics.dataset.train.Good;
    expect(goodTrainingPlots).toBeGreaterThan(0);
    expect(loaded.heatExemplars).toMatchObject({ label: 'Good', of: goodTrainingPlots });
    expect(loaded.heatExemplars?.pixels).toHaveLength(goodTrainingPlots);
    expect(loaded.heatReference).toBeNull();
    expect(loaded.heatExemplars?.pixels[0]).toHaveLength(
      loaded.manifest.input.height * loaded.manifest.input.width * loaded.manifest.input.channels,
    );
    loaded.model.dispose();

    expect(await phasesUntil(trainer.events, jobId)).toEqual([
      'preparing',
      'training',
      'validating',
      'saving',
      'done',
    ]);
    // Each candidate's epochs, said as that candidate's.
    const epochs = trainer.events
      .of('training.progress')
      .filter((event) => event.jobId === jobId && event.epoch !== null);
    expect(
      epochs.map((event) => [event.candidate, event.totalCandidates, event.goodReference, event.epoch]),
    ).toEqual([
      [1, 2, false, 1],
      [1, 2, false, 2],
      [2, 2, true, 1],
      [2, 2, true, 2],
    ]);
  });

  it('trains a model that compares each plot with its Good training plots, and keeps them', async () => {
    const jobId = await trainer.requestTraining({ epochs: 1, goodReference: true });
    await trainer.waitForStatus(jobId, 'succeeded', 110_000);
    const model = await modelOf(jobId);
    // The image's 3 channels and as many of its residual from the nearest Good plots.
    expect(model.inputShape[2]).toBe(6);
    const metrics = model.metrics as {
      dataset: { train: { Good: number } };
      report: { count: number };
      base: unknown;
    };
    expect(metrics.report.count).toBeGreaterThan(0);
    // The base never saw that residual: the model started from random weights.
    expect(metrics.base).toBeNull();
    // A classifier reads the Good plots with the model: they are the inputs' reference.
    const loaded = await loadModelArtifacts(trainer.bed.store, model.artifactPrefix, { heatMaps: false });
    expect(loaded.manifest.input.goodReference).toEqual(DEFAULT_GOOD_REFERENCE);
    expect(loaded.heatExemplars?.pixels).toHaveLength(metrics.dataset.train.Good);
    const plot = await simulatePlot(PLOT, 'Bad', 5);
    const classifier = await createClassifier(loaded);
    const [outputs] = await classifier.predict([
      await imageToInput(
        plot.png,
        loaded.manifest.input,
        loaded.manifest.ignoreRegions,
        loaded.heatExemplars?.pixels,
      ),
    ]);
    expect(outputs?.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
    await classifier.dispose();
  });

  it('fine-tunes the production model with its input and labels', async () => {
    const jobId = await trainer.requestTraining({ epochs: 1, parentModelId: productionId });
    await trainer.waitForStatus(jobId, 'succeeded', 110_000);
    const model = await modelOf(jobId);
    expect(model).toMatchObject({
      status: 'candidate',
      parentModelId: productionId,
      labels: [...TEST_MODEL.labels],
      inputShape: [TEST_MODEL.input.height, TEST_MODEL.input.width, TEST_MODEL.input.channels],
    });
    const metrics = model.metrics as { base: unknown; options: { inputs: unknown } };
    expect(metrics.base).toBeNull();
    expect(metrics.options.inputs).toEqual([TEST_MODEL.input]);
    const loaded = await loadModelArtifacts(trainer.bed.store, model.artifactPrefix);
    expect(loaded.manifest.input).toEqual(TEST_MODEL.input);
    loaded.model.dispose();
  });

  it('records a job that cannot train as failed, with the reason', async () => {
    const jobId = await trainer.requestTraining({
      epochs: 1,
      parentModelId: '00000000-0000-4000-8000-000000000000',
    });
    const job = await trainer.waitForStatus(jobId, 'failed', 30_000);
    expect(job.error).toBe('no parent model 00000000-0000-4000-8000-000000000000');
    // Its last progress event says so too, after the job's record.
    expect(await phasesUntil(trainer.events, jobId, 'failed')).toEqual(['preparing', 'failed']);
  });
});
