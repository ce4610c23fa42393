import {
  buildModel,
  createClassifier,
  exportForServing,
  imageToInput,
  initialiseBackend,
  loadModelArtifacts,
  type ManifestInput,
  saveModelArtifacts,
  TfjsClassifier,
  trainModel,
} from '@hydra/ml';
import type { ObjectStore } from '@hydra/storage';
import type { TrainingWork, TrainingWorkResult, WorkerMessage } from './training-work';

/** Predictions are made this many images at a time. */
const PREDICT_BATCH = 32;

type Post = (message: WorkerMessage) => void;

/**
 * The CPU-heavy part of a job, in the training thread: build or load the model, train it, predict
 * the validation and test images (and production's on the same test images), export ONNX and store
 * the artifacts through `store`.
 */
export async function trainCandidate(
  work: TrainingWork,
  store: ObjectStore,
  post: Post,
): Promise<TrainingWorkResult> {
  // Backends are per thread: this one's is chosen here, not inherited.
  const backend = await initialiseBackend();
  const { model, description } = await startingModel(work, store);
  try {
    post({ type: 'phase', phase: 'training' });
    const training = await trainModel(model, work.train, work.validation, {
      ...work.training,
      onEpoch: (epoch) => post({ type: 'epoch', epoch }),
    });
    post({ type: 'phase', phase: 'validating' });
    const candidate = new TfjsClassifier(model, work.input);
    const predict = (inputs: Float32Array[]) => candidate.predict(inputs);
    const testProbabilities = await predictAll(predict, work.test.inputs);
    const validationProbabilities = await predictAll(predict, work.validation.inputs);
    const production = work.production ? await productionOutputs(work, work.production, store, post) : null;
    // The int8 model is checked on the images the float one was validated on.
    const onnxModels = await exportForServing(model, work.input, {
      calibration: work.train.inputs,
      check: [...work.validation.inputs, ...work.test.inputs],
    });
    post({ type: 'phase', phase: 'saving' });
    const manifest = await saveModelArtifacts(store, work.artifactPrefix, model, description, onnxModels);
    return {
      backend,
      training,
      testProbabilities,
      validationProbabilities,
      production,
      serving: { serving: onnxModels.serving, reason: onnxModels.reason, comparison: onnxModels.comparison },
      manifest,
    };
  } finally {
    model.dispose();
  }
}

/** A fresh model of the zoo, or the parent's weights, input and labels for fine-tuning. */
async function startingModel(work: TrainingWork, store: ObjectStore) {
  if (work.start.kind === 'new') {
    const { model, gradCamLayer } = buildModel(work.start.spec);
    const description: ManifestInput = {
      architecture: work.start.spec.architecture,
      labels: work.labels,
      input: work.input,
      gradCamLayer,
      ignoreRegions: work.ignoreRegions,
    };
    return { model, description };
  }
  const parent = await loadModelArtifacts(store, work.start.artifactPrefix);
  const { manifest } = parent;
  // The images were prepared from the parent's database record; its manifest must agree.
  if (!sameList(manifest.labels, work.labels) || !sameList(shapeOf(manifest.input), shapeOf(work.input))) {
    parent.model.dispose();
    throw new Error(
      `parent model ${work.start.modelId}: its manifest (labels ${manifest.labels.join(', ')}, input ${shapeOf(manifest.input).join('×')}) differs from its record (labels ${work.labels.join(', ')}, input ${shapeOf(work.input).join('×')})`,
    );
  }
  const description: ManifestInput = {
    architecture: manifest.architecture,
    labels: manifest.labels,
    input: manifest.input,
    gradCamLayer: manifest.gradCamLayer,
    ignoreRegions: work.ignoreRegions,
  };
  return { model: parent.model, description };
}

/** The production model re-run on the candidate's test images: a like-for-like comparison. */
async function productionOutputs(
  work: TrainingWork,
  production: { modelId: string; artifactPrefix: string },
  store: ObjectStore,
  post: Post,
): Promise<TrainingWorkResult['production']> {
  const loaded = await loadModelArtifacts(store, production.artifactPrefix);
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
    const inputs = await Promise.all(
      work.testBytes.map((bytes) =>
        imageToInput(
          Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          loaded.manifest.input,
          loaded.manifest.ignoreRegions,
        ),
      ),
    );
    const probabilities = await predictAll((batch) => classifier.predict(batch), inputs);
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

async function predictAll(
  predict: (inputs: Float32Array[]) => Promise<number[][]>,
  inputs: Float32Array[],
): Promise<number[][]> {
  const result: number[][] = [];
  for (let start = 0; start < inputs.length; start += PREDICT_BATCH)
    result.push(...(await predict(inputs.slice(start, start + PREDICT_BATCH))));
  return result;
}

function shapeOf(input: { height: number; width: number; channels: number }): number[] {
  return [input.height, input.width, input.channels];
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
