import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { buildModel } from '../models/zoo';
import { microBatchSize } from './micro-batch';
import { type Examples, trainModel } from './train-model';

describe('micro-batches', () => {
  beforeAll(() => initialiseBackend('wasm'));

  it('splits a batch only where the wasm heap could not hold it', () => {
    const sizes = (
      [
        ['hydra-cnn', { height: 72, width: 96, channels: 3 }],
        ['mobilenet-v2', { height: 224, width: 224, channels: 3 }],
        ['inception-v3', { height: 299, width: 299, channels: 3 }],
      ] as const
    ).map(([architecture, input]) => {
      const { model } = buildModel({ architecture, input, classes: 3, seed: 1 });
      const size = [microBatchSize(model, 16), microBatchSize(model, 16, 'webgpu')];
      model.dispose();
      return size;
    });
    // Measured: Inception-v3 at 299² takes about 0.45 GiB of heap per image in training (batch 8 ran out).
    expect(sizes).toEqual([
      [16, 16],
      [expect.any(Number), 16],
      [expect.any(Number), 16],
    ]);
    const [mobileNet, inception] = [sizes[1]?.[0] as number, sizes[2]?.[0] as number];
    expect(mobileNet).toBeGreaterThanOrEqual(4);
    expect(mobileNet).toBeLessThan(16);
    expect(inception).toBeGreaterThanOrEqual(2);
    expect(inception).toBeLessThan(8);
  }, 60_000);

  it('makes the same update from micro-batches as from the whole batch, with no tensor left over', async () => {
    const input = { height: 12, width: 10, channels: 3 };
    // No batch normalisation: it would see each micro-batch on its own.
    const make = () =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({
            inputShape: [input.height, input.width, input.channels],
            filters: 4,
            kernelSize: 3,
            activation: 'relu',
            kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
          }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({
            units: 3,
            activation: 'softmax',
            kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
          }),
        ],
      });
    const size = input.height * input.width * input.channels;
    const examples: Examples = {
      inputs: Array.from({ length: 8 }, (_, image) =>
        Float32Array.from({ length: size }, (__, pixel) => ((pixel * (image + 3)) % 17) / 17),
      ),
      labels: [0, 1, 2, 0, 0, 1, 0, 2],
    };
    const trained = async (microBatchSize: number) => {
      const model = make();
      const result = await trainModel(model, examples, examples, {
        epochs: 1,
        batchSize: 8,
        learningRate: 0.1,
        optimizer: 'sgd',
        balancing: 'weighted-loss',
        microBatchSize,
      });
      const weights = model.getWeights().map((weight) => Array.from(weight.dataSync()));
      model.dispose();
      return { weights, loss: result.history[0]?.loss as number, microBatch: result.microBatch };
    };
    const tensors = tf.memory().numTensors;
    const whole = await trained(8);
    expect(tf.memory().numTensors).toBe(tensors);
    const parts = await trained(3);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(parts.microBatch).toBe(3);
    // Equal parts: 8 at 5 at most go as 4 + 4.
    expect((await trained(5)).microBatch).toBe(4);
    expect(parts.loss).toBeCloseTo(whole.loss, 5);
    const untrained = make();
    const initial = untrained.getWeights().map((weight) => Array.from(weight.dataSync()));
    untrained.dispose();
    const moved = whole.weights.flat().some((value, index) => value !== initial.flat()[index]);
    expect(moved).toBe(true);
    const difference = Math.max(
      ...whole.weights
        .flat()
        .map((value, index) => Math.abs(value - (parts.weights.flat()[index] as number))),
    );
    expect(difference).toBeLessThan(1e-5);
  });
});
