import * as tf from '@tensorflow/tfjs';
import { simulateDataset } from '@hydra/simulator';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { gradCam } from '../explain/grad-cam';
import { exportToOnnx } from '../inference/onnx-export';
import { OnnxClassifier } from '../inference/onnx-classifier';
import { HYDRA_CNN_GRADCAM_LAYER, hydraCnn } from '../models/hydra-cnn';
import { imageToInput, type InputShape } from '../preprocessing/image-input';
import { type EpochProgress, evaluate, type Examples, trainModel } from './train-model';

const LABELS = ['Good', 'Bad', 'NoData'];
const INPUT: InputShape = { height: 36, width: 48, channels: 3 };

async function simulated(seed: number, count: number): Promise<Examples> {
  const examples = { inputs: [] as Float32Array[], labels: [] as number[] };
  for await (const plot of simulateDataset({ plotType: 'FCAL_occupancy', count, seed })) {
    examples.inputs.push(await imageToInput(plot.png, INPUT));
    examples.labels.push(LABELS.indexOf(plot.label));
  }
  return examples;
}

/**
 * The whole model path on the webgpu backend — training with Hydra's kernels, evaluation, Grad-CAM,
 * ONNX export — reading results asynchronously. Without a GPU it runs on Mesa's lavapipe.
 */
describe('hydra-cnn on webgpu', () => {
  let train: Examples;
  let validation: Examples;

  beforeAll(async () => {
    expect(await initialiseBackend('webgpu')).toBe('webgpu');
    [train, validation] = await Promise.all([simulated(1, 150), simulated(2, 45)]);
  }, 120_000);

  it('learns, explains itself and exports a model ONNX Runtime agrees with', async () => {
    const model = hydraCnn({ input: INPUT, classes: 3, seed: 7 });
    const tensorsBefore = tf.memory().numTensors;
    const epochs: EpochProgress[] = [];
    await trainModel(model, train, validation, {
      batchSize: 16,
      learningRate: 3e-3,
      optimizer: 'adam',
      balancing: 'resample',
      referenceClass: 1,
      epochs: 6,
      onEpoch: (progress) => epochs.push(progress),
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(epochs).toHaveLength(6);
    expect((epochs.at(-1) as EpochProgress).loss).toBeLessThan((epochs[0] as EpochProgress).loss);
    const { accuracy } = await evaluate(model, validation, 3);
    console.log(`webgpu: validation accuracy ${accuracy.toFixed(3)} after ${epochs.length} epochs`);
    expect(accuracy).toBeGreaterThanOrEqual(0.8);

    const input = validation.inputs[0] as Float32Array;
    const explanation = await gradCam(model, input, INPUT, HYDRA_CNN_GRADCAM_LAYER());
    expect(explanation.heat).toHaveLength(INPUT.height * INPUT.width);
    expect(Math.max(...explanation.heat)).toBeLessThanOrEqual(1);

    const onnx = await OnnxClassifier.load(await exportToOnnx(model), INPUT);
    const [fromOnnx] = await onnx.predict([input]);
    const fromTfjs = model.predict(tf.tensor4d(input, [1, INPUT.height, INPUT.width, 3])) as tf.Tensor;
    const expected = Array.from(await fromTfjs.data());
    expect(
      Math.max(...expected.map((value, index) => Math.abs(value - (fromOnnx?.[index] as number)))),
    ).toBeLessThan(1e-4);
    tf.dispose(fromTfjs);
    await onnx.dispose();
    model.dispose();
  }, 600_000);
});
