import * as tf from '@tensorflow/tfjs';

/** Images of a training batch with their labels and loss weights. */
export interface BatchPart {
  labels: readonly number[];
  sampleWeights: readonly number[];
  /** The images `start`…`start + count` of the part, as the model takes them (augmented). */
  images: (start: number, count: number) => tf.Tensor4D;
  classCount: number;
  /** The loss weight of the whole batch, so the parts' losses and gradients add up to the batch's. */
  totalWeight: number;
}

/**
 * Forward and backward passes in training mode over `part`, `microBatch` images at a time, their
 * gradients summed: the part's share of the batch loss, its correct predictions and the gradients
 * of the model's trainable weights in `model.trainableWeights` order (the same in every copy of the
 * model, whatever its variables are called). Batch normalisation sees each micro-batch on its own.
 */
export async function partGradients(
  model: tf.LayersModel,
  part: BatchPart,
  microBatch: number,
): Promise<{ grads: tf.Tensor[]; loss: number; hits: number }> {
  const variables = trainableVariables(model);
  const count = part.labels.length;
  const size = evenPart(count, microBatch);
  let grads: tf.Tensor[] = [];
  let loss = 0;
  let hits = 0;
  try {
    for (let start = 0; start < count; start += size) {
      const length = Math.min(size, count - start);
      const computed = tf.tidy(() => {
        const targets = tf.oneHot(
          tf.tensor1d(part.labels.slice(start, start + length), 'int32'),
          part.classCount,
        );
        const weights = tf.tensor1d(part.sampleWeights.slice(start, start + length));
        const batch = part.images(start, length);
        let correct: tf.Scalar | undefined;
        const { value, grads: named } = tf.variableGrads(() => {
          const predictions = model.apply(batch, { training: true }) as tf.Tensor;
          correct = tf.keep(tf.equal(tf.argMax(predictions, 1), tf.argMax(targets, 1)).sum() as tf.Scalar);
          return crossEntropy(targets, predictions).mul(weights).sum().div(part.totalWeight) as tf.Scalar;
        }, variables);
        return {
          value,
          correct: correct as tf.Scalar,
          grads: variables.map((variable) => named[variable.name] as tf.Tensor),
        };
      });
      grads = addGradients(grads, computed.grads);
      loss += await scalarOf(computed.value);
      hits += await scalarOf(computed.correct);
    }
    return { grads, loss, hits };
  } catch (error) {
    tf.dispose(grads);
    throw error;
  }
}

/** The variables behind the model's trainable weights, in their order. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((weight) => weight.read() as tf.Variable);
}

/** `sum` + `grads` in the same order, both disposed (the first micro-batch's are taken as they are). */
export function addGradients(sum: tf.Tensor[], grads: tf.Tensor[]): tf.Tensor[] {
  if (sum.length === 0) return grads;
  const result = tf.tidy(() => grads.map((grad, index) => tf.add(sum[index] as tf.Tensor, grad)));
  tf.dispose([...sum, ...grads]);
  return result;
}

/** The size of equal parts of `count` no larger than `largest`: 16 at 5 at most go as 4 × 4, not 5 + 5 + 5 + 1. */
export function evenPart(count: number, largest: number): number {
  return Math.ceil(count / Math.ceil(count / largest));
}

/** A scalar's value, read asynchronously (a GPU backend has no synchronous read in Node); disposes it. */
export async function scalarOf(tensor: tf.Tensor): Promise<number> {
  const [value] = await tensor.data();
  tensor.dispose();
  return value as number;
}

/** Per-example cross-entropy of softmax probabilities. */
export function crossEntropy(targets: tf.Tensor, probabilities: tf.Tensor): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(targets, tf.log(tf.clipByValue(probabilities, 1e-7, 1))), 1)) as tf.Tensor1D;
}
