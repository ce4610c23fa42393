import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { hydraCnn } from '../models/hydra-cnn';
import { seededRandom } from './stratified-split';
import { type Examples, trainModel } from './train-model';

const INPUT = { height: 24, width: 32, channels: 3 } as const;

/** Noise images whose label is whether their top half is brighter: learnable, and quick. */
function examples(count: number, seed: number): Examples {
  const random = seededRandom(seed);
  const inputs: Float32Array[] = [];
  const labels: number[] = [];
  for (let index = 0; index < count; index++) {
    const label = index % 2;
    const image = new Float32Array(INPUT.height * INPUT.width * INPUT.channels);
    image.forEach((_, position) => {
      const top = position < image.length / 2;
      image[position] = random() * 0.5 + (top === (label === 1) ? 0.5 : 0);
    });
    inputs.push(image);
    labels.push(label);
  }
  return { inputs, labels };
}

async function trained(threads: 1 | 2) {
  const model = hydraCnn({ input: INPUT, classes: 2, filters: [4, 8], seed: 3 });
  const result = await trainModel(model, examples(48, 1), examples(16, 2), {
    epochs: 2,
    batchSize: 8,
    microBatchSize: 4,
    learningRate: 3e-3,
    optimizer: 'adam',
    balancing: 'resample',
    augmentation: { maxShift: 2, ink: 0.3 },
    seed: 5,
    threads,
  });
  const weights = model.trainableWeights.map((weight) => Array.from(weight.read().dataSync()));
  model.dispose();
  return { result, weights };
}

describe('a gradient helper thread', () => {
  beforeAll(() => initialiseBackend('wasm'), 60_000);

  it('trains to exactly the weights of one thread taking the same batch as two micro-batches', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const alone = await trained(1);
    const helped = await trained(2);
    expect(alone.result.threads).toBe(1);
    expect(helped.result.threads).toBe(2);
    expect(helped.weights).toEqual(alone.weights);
    expect(helped.result.history.map((epoch) => epoch.loss)).toEqual(
      alone.result.history.map((epoch) => epoch.loss),
    );
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
