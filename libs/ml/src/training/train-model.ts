import * as tf from '@tensorflow/tfjs';
import { balancedEpoch, classWeights, shuffle } from './balanced-sampling';
import {
  batchesOf,
  type ExampleSource,
  exampleSource,
  prefetchBatches,
  type TrainingData,
} from './example-source';
import type { InputShape } from '../preprocessing/image-input';
import { type AugmentationSettings, augmentation } from './augmentation';
import { GradientHelper } from './gradient-helper';
import { microBatchSize } from './micro-batch';
import {
  addGradients,
  crossEntropy,
  evenPart,
  partGradients,
  scalarOf,
  trainableVariables,
} from './part-gradients';
import { type PlateauDecay, PlateauSchedule, setLearningRate } from './plateau-schedule';
import { seededRandom } from './stratified-split';

export type { Examples } from './example-source';

export interface TrainingOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: 'adam' | 'sgd';
  balancing: 'resample' | 'weighted-loss';
  /** The class resampling balances to (Hydra: Bad). */
  referenceClass?: number;
  /** Stop when validation loss has not improved by minDelta for `patience` epochs; the best weights are restored. */
  earlyStopping?: { patience: number; minDelta: number };
  /** Ink jitter, shifts and flips (see augmentation). */
  augmentation?: AugmentationSettings;
  /** The input the examples were made for (imageToInput): augmentation keeps its median residual consistent. */
  input?: InputShape;
  /** Lowers the learning rate when validation loss stalls (counted with earlyStopping's minDelta). */
  learningRateDecay?: PlateauDecay;
  seed?: number;
  /** Images per forward and backward pass; gradients of a batch's micro-batches are summed. Default: microBatchSize. */
  microBatchSize?: number;
  signal?: AbortSignal;
  /**
   * Threads a training step runs on: 2 gives the second half of every batch to a GradientHelper
   * thread, on the wasm and cpu backends (the others have threads or a GPU of their own). Default 1.
   */
  threads?: 1 | 2;
  /** Batches read ahead while one trains (see prefetchBatches). Default 2. */
  prefetch?: number;
  onBatch?: (progress: BatchProgress) => void;
  onEpoch?: (progress: EpochProgress) => void;
}

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
}

export interface EpochProgress {
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  /** Seconds left at the pace so far, assuming every epoch runs. */
  etaS: number;
}

export interface TrainingResult {
  history: EpochProgress[];
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Images in one forward and backward pass (see microBatchSize). */
  microBatch: number;
  /** Threads each step ran on (see TrainingOptions.threads). */
  threads: 1 | 2;
}

/** The validation loss of the epoch whose weights the model kept; Infinity when it has none (not finite). */
export function bestValidationLoss({ history, bestEpoch }: TrainingResult): number {
  const loss = history[bestEpoch]?.valLoss;
  return loss !== undefined && Number.isFinite(loss) ? loss : Infinity;
}

/** Which of several trainings to keep: the lowest bestValidationLoss, the first on a tie. */
export function lowestValidationLoss(results: TrainingResult[]): number {
  const losses = results.map(bestValidationLoss);
  return losses.indexOf(Math.min(...losses));
}

export class TrainingCancelledError extends Error {
  override readonly name = 'TrainingCancelledError';
}

/**
 * Trains in a loop of our own (not `fit`) for per-batch progress, cancellation between batches,
 * balanced sampling and best-weights restore; tensors are freed every step and inputs are read
 * batch by batch (a few ahead), so memory stays flat whatever the number of examples.
 */
export async function trainModel(
  model: tf.LayersModel,
  trainData: TrainingData,
  validation: TrainingData,
  options: TrainingOptions,
): Promise<TrainingResult> {
  const train = exampleSource(trainData);
  const classCount = (model.outputs[0]?.shape[1] as number) ?? 0;
  const random = seededRandom(options.seed ?? 1);
  const optimizer =
    options.optimizer === 'sgd'
      ? tf.train.momentum(options.learningRate, 0.9, true)
      : tf.train.adam(options.learningRate);
  const usable = train.labels.map((_, index) => index).filter((index) => (train.weights?.[index] ?? 1) > 0);
  const lossWeights =
    options.balancing === 'weighted-loss'
      ? classWeights(
          usable.map((index) => train.labels[index] as number),
          classCount,
        )
      : null;
  const largest = options.microBatchSize ?? microBatchSize(model, options.batchSize);
  const microBatch = evenPart(options.batchSize, largest);
  const schedule =
    options.learningRateDecay &&
    new PlateauSchedule(options.learningRate, options.learningRateDecay, options.earlyStopping?.minDelta);
  const history: EpochProgress[] = [];
  const helper =
    options.threads === 2 && ['wasm', 'cpu'].includes(tf.getBackend())
      ? await GradientHelper.start(model, tf.getBackend())
      : null;
  let best = { loss: Number.POSITIVE_INFINITY, epoch: -1, weights: null as tf.Tensor[] | null };
  const started = Date.now();
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order =
        options.balancing === 'resample'
          ? balancedEpoch(
              usable.map((index) => train.labels[index] as number),
              classCount,
              random,
              options.referenceClass,
            ).map((position) => usable[position] as number)
          : shuffle([...usable], random);
      const epochBatches = batchesOf(order, options.batchSize);
      const batches = epochBatches.length;
      let lossSum = 0;
      let correct = 0;
      let batch = 0;
      for await (const { indices, inputs } of prefetchBatches(train, epochBatches, {
        ahead: options.prefetch,
        signal: options.signal,
      })) {
        if (options.signal?.aborted) throw new TrainingCancelledError('training was cancelled');
        const { loss, hits } = await trainStep(model, optimizer, indices, inputs, microBatch, {
          labels: train.labels,
          classCount,
          lossWeights,
          augment: augmentation(options.augmentation, options.input, random),
          helper,
        });
        lossSum += loss * indices.length;
        correct += hits;
        options.onBatch?.({ epoch, batch: batch++, batches, loss });
        await new Promise((resolve) => setImmediate(resolve)); // let progress and cancellation through
      }
      const evaluation = await evaluate(model, validation, classCount, microBatch, options);
      const elapsed = (Date.now() - started) / 1000;
      const progress: EpochProgress = {
        epoch,
        epochs: options.epochs,
        loss: lossSum / order.length,
        accuracy: correct / order.length,
        valLoss: evaluation.loss,
        valAccuracy: evaluation.accuracy,
        etaS: (elapsed / (epoch + 1)) * (options.epochs - epoch - 1),
      };
      history.push(progress);
      options.onEpoch?.(progress);
      if (schedule) setLearningRate(optimizer, schedule.next(evaluation.loss));
      if (evaluation.loss < best.loss - (options.earlyStopping?.minDelta ?? 0)) {
        tf.dispose(best.weights ?? []);
        best = { loss: evaluation.loss, epoch, weights: model.getWeights().map((weight) => weight.clone()) };
      } else if (options.earlyStopping && epoch - best.epoch >= options.earlyStopping.patience) {
        break;
      }
    }
    if (best.weights) model.setWeights(best.weights);
    return {
      history,
      bestEpoch: best.epoch,
      stoppedEarly: history.length < options.epochs,
      microBatch,
      threads: helper ? 2 : 1,
    };
  } catch (error) {
    // Cancelling also aborts the batch reads under way; their rejection means "cancelled" too.
    if (options.signal?.aborted && !(error instanceof TrainingCancelledError)) {
      throw new TrainingCancelledError('training was cancelled');
    }
    throw error;
  } finally {
    await helper?.close();
    tf.dispose(best.weights ?? []);
    optimizer.dispose();
    // tfjs 4.22's MomentumOptimizer.dispose forgets the learning-rate scalar it inherits from SGD.
    (optimizer as unknown as { c?: tf.Tensor }).c?.dispose();
  }
}

interface StepData {
  labels: readonly number[];
  classCount: number;
  lossWeights: number[] | null;
  augment: (batch: tf.Tensor4D) => tf.Tensor4D;
  /** Computes the second half of each batch on another thread, where there is one. */
  helper: GradientHelper | null;
}

/**
 * One optimizer step on `indices` (whose inputs are `inputs`). Where they are more than `microBatch`, the gradients of
 * micro-batches are summed before the step (same loss, same update, less memory at once; batch
 * normalisation sees each micro-batch on its own). With a helper, it takes the second half.
 */
async function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  indices: number[],
  inputs: Float32Array[],
  microBatch: number,
  data: StepData,
): Promise<{ loss: number; hits: number }> {
  const weightOf = (index: number) => data.lossWeights?.[data.labels[index] as number] ?? 1;
  const totalWeight = indices.reduce((sum, index) => sum + weightOf(index), 0);
  const mine = data.helper && indices.length > 1 ? Math.ceil(indices.length / 2) : indices.length;
  // Augmented micro-batch by micro-batch, in order: the random draws are the same with a helper or without.
  const augmented = (from: number, to: number) => {
    const size = evenPart(to - from, microBatch);
    const chunks: tf.Tensor4D[] = [];
    for (let start = from; start < to; start += size)
      chunks.push(
        tf.tidy(() => data.augment(batchTensor(inputs.slice(start, Math.min(start + size, to)), model))),
      );
    return { size, chunks };
  };
  const part = (from: number, to: number) => ({
    labels: indices.slice(from, to).map((index) => data.labels[index] as number),
    sampleWeights: indices.slice(from, to).map(weightOf),
    classCount: data.classCount,
    totalWeight,
  });
  const own = augmented(0, mine);
  let helped: ReturnType<GradientHelper['gradients']> | null = null;
  if (data.helper && mine < indices.length) {
    const theirs = augmented(mine, indices.length);
    const pixels = concatenated(theirs.chunks.map((chunk) => chunk.dataSync() as Float32Array));
    tf.dispose(theirs.chunks);
    helped = data.helper.gradients({
      ...part(mine, indices.length),
      weights: model.getWeights().map((weight) => Float32Array.from(weight.dataSync() as Float32Array)),
      inputs: pixels,
      microBatch,
    });
    helped.catch(() => undefined); // its failure is taken up below, after this thread's part
  }
  const variables = trainableVariables(model);
  let result: Awaited<ReturnType<typeof partGradients>>;
  try {
    result = await partGradients(
      model,
      { ...part(0, mine), images: (start) => own.chunks[start / own.size] as tf.Tensor4D },
      microBatch,
    );
  } finally {
    tf.dispose(own.chunks);
  }
  let { grads, loss, hits } = result;
  try {
    if (helped) {
      const theirs = await helped;
      grads = addGradients(
        grads,
        theirs.grads.map((grad, index) => tf.tensor(grad, variables[index]?.shape)),
      );
      loss += theirs.loss;
      hits += theirs.hits;
    }
    optimizer.applyGradients(
      Object.fromEntries(variables.map((variable, index) => [variable.name, grads[index] as tf.Tensor])),
    );
  } finally {
    tf.dispose(grads);
  }
  return { loss, hits };
}

function concatenated(arrays: Float32Array[]): Float32Array {
  const result = new Float32Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let offset = 0;
  for (const array of arrays) {
    result.set(array, offset);
    offset += array.length;
  }
  return result;
}

/** Loss and accuracy on examples, in inference mode, read batch by batch. */
export async function evaluate(
  model: tf.LayersModel,
  data: TrainingData,
  classCount: number,
  batchSize = 32,
  reading: { prefetch?: number; signal?: AbortSignal } = {},
): Promise<{ loss: number; accuracy: number }> {
  const examples: ExampleSource = exampleSource(data);
  if (examples.labels.length === 0) return { loss: Number.NaN, accuracy: Number.NaN };
  let lossSum = 0;
  let correct = 0;
  const batches = batchesOf(
    examples.labels.map((_, index) => index),
    batchSize,
  );
  for await (const { indices, inputs } of prefetchBatches(examples, batches, {
    ahead: reading.prefetch,
    signal: reading.signal,
  })) {
    const [loss, hits] = tf.tidy(() => {
      const probabilities = model.predict(batchTensor(inputs, model)) as tf.Tensor;
      const targets = tf.oneHot(
        tf.tensor1d(
          indices.map((index) => examples.labels[index] as number),
          'int32',
        ),
        classCount,
      );
      return [
        crossEntropy(targets, probabilities).sum(),
        tf.equal(tf.argMax(probabilities, 1), tf.argMax(targets, 1)).sum(),
      ];
    });
    lossSum += await scalarOf(loss);
    correct += await scalarOf(hits);
  }
  return { loss: lossSum / examples.labels.length, accuracy: correct / examples.labels.length };
}

function batchTensor(inputs: Float32Array[], model: tf.LayersModel): tf.Tensor4D {
  const [, height, width, channels] = model.inputs[0]?.shape as number[];
  const size = (height as number) * (width as number) * (channels as number);
  const buffer = new Float32Array(inputs.length * size);
  inputs.forEach((input, position) => buffer.set(input, position * size));
  return tf.tensor4d(buffer, [inputs.length, height as number, width as number, channels as number]);
}
