import {
  baseFits,
  batchesOf,
  bestValidationLoss,
  buildModel,
  createClassifier,
  type ExampleSource,
  exportForServing,
  defaultHeatExemplars,
  type HeatExemplars,
  initialiseBackend,
  type InputShape,
  loadModelArtifacts,
  lowestValidationLoss,
  type ManifestInput,
  prefetchBatches,
  saveModelArtifacts,
  startFromBase,
  TfjsClassifier,
  trainModel,
  withoutGoodReference,
} from '@hydra/ml';
import type { ObjectStore } from '@hydra/storage';
import { spreadSample, type StoredExamples, storedExampleSource } from '../../dataset/stored-examples';
import type {
  FoldOutcome,
  TrainingWork,
  TrainingWorkResult,
  TriedCandidate,
  WorkerMessage,
} from './training-work';

/** Predictions are made this many images at a time. */
const PREDICT_BATCH = 32;
/** Training images read for int8 calibration (exportForServing uses up to 64 of them, spread). */
const CALIBRATION_SAMPLE = 200;
/** Validation and test images (each) the int8 model is checked on: all of a usual set, bounded for a huge one. */
const CHECK_SAMPLE = 250;

type Post = (message: WorkerMessage) => void;

/**
 * The CPU-heavy part of a job, in the training thread: build or load the model and train it (one
 * candidate per input of the work, the lowest validation loss kept), predict the validation and test
 * images (and production's on the same test images), train and test each cross-validation round the
 * work names, export ONNX and store the artifacts through `store`. Images are read from `store` a
 * few batches at a time throughout.
 */
export async function trainCandidate(
  work: TrainingWork,
  store: ObjectStore,
  post: Post,
): Promise<TrainingWorkResult> {
  // Backends are per thread: this one's is chosen here, not inherited.
  const backend = await initialiseBackend();
  post({ type: 'phase', phase: 'training' });
  const { model, description, base, input, training, tried, goodPlots } = await keptCandidate(
    work,
    store,
    post,
  );
  const source = (examples: StoredExamples) =>
    storedExampleSource(store, examples, input, work.ignoreRegions, goodPlots?.pixels);
  const [train, validation, test] = [source(work.train), source(work.validation), source(work.test)];
  try {
    post({ type: 'phase', phase: 'validating' });
    const candidate = new TfjsClassifier(model, input);
    const predict = (inputs: Float32Array[]) => candidate.predict(inputs);
    const testProbabilities = await predictAll(predict, test);
    const validationProbabilities = await predictAll(predict, validation);
    const production = work.production ? await productionOutputs(work, work.production, store, post) : null;
    const crossValidation = await crossValidate(work, input, store, post);
    // The int8 model is checked on the images the float one was validated on (a bounded sample of them).
    const onnxModels = await exportForServing(model, input, {
      calibration: await sampleOf(train, CALIBRATION_SAMPLE),
      check: [...(await sampleOf(validation, CHECK_SAMPLE)), ...(await sampleOf(test, CHECK_SAMPLE))],
    });
    post({ type: 'phase', phase: 'saving' });
    const manifest = await saveModelArtifacts(
      store,
      work.artifactPrefix,
      model,
      {
        ...description,
        // A model with a Good reference keeps the very plots it was trained to compare with.
        heatExemplars: goodPlots ?? (await defaultHeatExemplars(description.labels, train, input)),
      },
      onnxModels,
    );
    return {
      backend,
      base,
      input,
      tried,
      training,
      testProbabilities,
      validationProbabilities,
      production,
      serving: { serving: onnxModels.serving, reason: onnxModels.reason, comparison: onnxModels.comparison },
      manifest,
      crossValidation,
    };
  } finally {
    model.dispose();
  }
}

/**
 * One model per input of the work, trained in turn with the job's recipe; the one whose best epoch
 * has the lowest validation loss is kept (the first on a tie), the others are disposed.
 */
async function keptCandidate(work: TrainingWork, store: ObjectStore, post: Post) {
  const trained: NonNullable<Awaited<ReturnType<typeof trainedModel>>>[] = [];
  try {
    for (const [index, input] of work.inputs.entries()) {
      if (work.inputs.length > 1)
        post({
          type: 'candidate',
          candidate: index + 1,
          candidates: work.inputs.length,
          medianResidual: input.medianResidual?.window ?? 0,
          goodReference: Boolean(input.goodReference),
        });
      const candidate = await trainedModel(work, input, work, store, post);
      if (candidate) trained.push(candidate);
      else
        post({
          type: 'warning',
          message: 'no Good plot in the training split to compare with: candidate skipped',
        });
    }
  } catch (error) {
    for (const { model } of trained) model.dispose();
    throw error;
  }
  const kept = trained[lowestValidationLoss(trained.map(({ training }) => training))];
  if (!kept) throw new Error('no candidate model could be trained: the training split has no Good plot');
  for (const { model } of trained) if (model !== kept.model) model.dispose();
  const tried: TriedCandidate[] = trained.map(({ input, training }) => {
    const validationLoss = bestValidationLoss(training);
    return {
      medianResidual: input.medianResidual?.window ?? 0,
      goodReference: Boolean(input.goodReference),
      validationLoss: Number.isFinite(validationLoss) ? validationLoss : null,
      bestEpoch: training.bestEpoch,
    };
  });
  return { ...kept, tried: trained.length > 1 ? tried : [] };
}

/**
 * A model started for `input` (startingModel) and trained with the job's recipe on `examples`,
 * stopping early on their validation images and reporting each epoch; disposed when training fails.
 * Where the input has a Good reference, the Good plots of `examples.train` are gathered first (null
 * where there are none: no such model can be trained).
 */
async function trainedModel(
  work: TrainingWork,
  input: InputShape,
  examples: { train: StoredExamples; validation: StoredExamples },
  store: ObjectStore,
  post: Post,
) {
  const goodPlots = input.goodReference ? await goodPlotsOf(work, examples.train, input, store) : null;
  if (input.goodReference && !goodPlots) return null;
  const source = (part: StoredExamples) =>
    storedExampleSource(store, part, input, work.ignoreRegions, goodPlots?.pixels);
  const started = await startingModel(work, input, store);
  try {
    const training = await trainModel(started.model, source(examples.train), source(examples.validation), {
      ...work.training,
      input,
      onEpoch: (epoch) => post({ type: 'epoch', epoch }),
    });
    return { ...started, input, training, goodPlots };
  } catch (error) {
    started.model.dispose();
    throw error;
  }
}

/**
 * Each cross-validation round: a model from the candidate's start, trained with its recipe on the
 * round's folds (compared with their own Good plots where the input has a Good reference),
 * predicting its test fold; one model at a time, its images read as it goes.
 */
async function crossValidate(
  work: TrainingWork,
  input: InputShape,
  store: ObjectStore,
  post: Post,
): Promise<FoldOutcome[]> {
  const outcomes: FoldOutcome[] = [];
  for (const [index, fold] of work.crossValidation.entries()) {
    post({ type: 'fold', fold: index + 1, folds: work.crossValidation.length });
    const trained = await trainedModel(work, input, fold, store, post);
    if (!trained) throw new Error(`cross-validation round ${index + 1} has no Good plot to compare with`);
    const { model, training, goodPlots } = trained;
    try {
      const classifier = new TfjsClassifier(model, input);
      const test = storedExampleSource(store, fold.test, input, work.ignoreRegions, goodPlots?.pixels);
      outcomes.push({
        testProbabilities: await predictAll((inputs) => classifier.predict(inputs), test),
        bestEpoch: training.bestEpoch,
        stoppedEarly: training.stoppedEarly,
      });
    } finally {
      model.dispose();
    }
  }
  return outcomes;
}

/**
 * The Good plots of `train` that a model with a Good reference compares each plot with, read
 * without it (there is none yet) and kept as its heat exemplars; null where there are none.
 */
async function goodPlotsOf(
  work: TrainingWork,
  train: StoredExamples,
  input: InputShape,
  store: ObjectStore,
): Promise<HeatExemplars | null> {
  const plain = withoutGoodReference(input);
  const source = storedExampleSource(store, train, plain, work.ignoreRegions);
  const plots = await defaultHeatExemplars(work.labels, source, plain);
  return plots && { ...plots, input };
}

/** A fresh model of the zoo for `input` (its blocks and Good/Bad outputs from the bundled base where asked), or the parent's weights, input and labels for fine-tuning. */
async function startingModel(work: TrainingWork, input: InputShape, store: ObjectStore) {
  if (work.start.kind === 'new') {
    const { model, gradCamLayer } = buildModel({ ...work.start.spec, input });
    const description: ManifestInput = {
      architecture: work.start.spec.architecture,
      labels: work.labels,
      input,
      gradCamLayer,
      ignoreRegions: work.ignoreRegions,
    };
    const fromBase = work.start.fromBase && baseFits(input);
    return { model, description, base: fromBase ? await startFromBase(model, work.labels) : null };
  }
  const parent = await loadModelArtifacts(store, work.start.artifactPrefix, { heatMaps: false });
  const { manifest } = parent;
  // The images were prepared from the parent's database record; its manifest must agree.
  if (!sameList(manifest.labels, work.labels) || !sameList(shapeOf(manifest.input), shapeOf(input))) {
    parent.model.dispose();
    throw new Error(
      `parent model ${work.start.modelId}: its manifest (labels ${manifest.labels.join(', ')}, input ${shapeOf(manifest.input).join('×')}) differs from its record (labels ${work.labels.join(', ')}, input ${shapeOf(input).join('×')})`,
    );
  }
  const description: ManifestInput = {
    architecture: manifest.architecture,
    labels: manifest.labels,
    input: manifest.input,
    gradCamLayer: manifest.gradCamLayer,
    ignoreRegions: work.ignoreRegions,
  };
  return { model: parent.model, description, base: null };
}

/** The production model re-run on the candidate's test images: a like-for-like comparison. */
async function productionOutputs(
  work: TrainingWork,
  production: { modelId: string; artifactPrefix: string },
  store: ObjectStore,
  post: Post,
): Promise<TrainingWorkResult['production']> {
  const loaded = await loadModelArtifacts(store, production.artifactPrefix, { heatMaps: false });
  const labels = loaded.manifest.labels;
  if (work.labels.some((label) => !labels.includes(label))) {
    post({
      type: 'warning',
      message: `production model ${production.modelId} lacks some of ${work.labels.join(', ')}: no comparison`,
    });
    loaded.model.dispose();
    return null;
  }
  const classifier = await createClassifier(loaded);
  try {
    // The same test images as the candidate's, prepared as production's manifest says.
    const test = storedExampleSource(
      store,
      work.test,
      loaded.manifest.input,
      loaded.manifest.ignoreRegions,
      loaded.heatExemplars?.pixels,
    );
    const probabilities = await predictAll((batch) => classifier.predict(batch), test);
    // Its outputs in the candidate's label order.
    return {
      modelId: production.modelId,
      probabilities: probabilities.map((row) =>
        work.labels.map((label) => row[labels.indexOf(label)] as number),
      ),
    };
  } finally {
    await classifier.dispose();
  }
}

/** Every image's outputs, in order, read and predicted a batch at a time. */
async function predictAll(
  predict: (inputs: Float32Array[]) => Promise<number[][]>,
  source: ExampleSource,
): Promise<number[][]> {
  const result: number[][] = [];
  const all = source.labels.map((_, index) => index);
  for await (const { inputs } of prefetchBatches(source, batchesOf(all, PREDICT_BATCH)))
    result.push(...(await predict(inputs)));
  return result;
}

/** Up to `count` of the source's inputs, spread over it. */
async function sampleOf(source: ExampleSource, count: number): Promise<Float32Array[]> {
  const inputs: Float32Array[] = [];
  const sample = spreadSample(source.labels.length, count);
  for await (const batch of prefetchBatches(source, batchesOf(sample, PREDICT_BATCH)))
    inputs.push(...batch.inputs);
  return inputs;
}

function shapeOf(input: { height: number; width: number; channels: number }): number[] {
  return [input.height, input.width, input.channels];
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
