import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateDataset } from '@hydra/simulator';
import { LocalObjectStore } from '@hydra/storage';
import { onnx } from 'onnx-proto';
import { type LoadedModel, loadModelArtifacts } from '../artifacts/model-artifacts';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { imageToInput } from '../preprocessing/image-input';
import { provideTestModel, TEST_MODEL } from '../testing/test-model';
import { OnnxClassifier } from './onnx-classifier';
import { calibrate, quantizeOnnx } from './onnx-quantize';

const argmax = (values: number[]) => values.indexOf(Math.max(...values));

async function predictions(model: Uint8Array, inputs: Float32Array[]): Promise<number[][]> {
  const classifier = await OnnxClassifier.load(model, TEST_MODEL.input);
  try {
    return await classifier.predict(inputs);
  } finally {
    await classifier.dispose();
  }
}

function operators(model: Uint8Array): string[] {
  return (onnx.ModelProto.decode(model).graph?.node ?? []).map((node) => node.opType as string);
}

describe('int8 quantisation of a trained model', () => {
  let root: string;
  let trained: LoadedModel;
  const inputs: Float32Array[] = [];

  beforeAll(async () => {
    await initialiseBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'hydra-quantize-'));
    const store = new LocalObjectStore({ root, signingSecret: 'test', publicBaseUrl: 'http://127.0.0.1' });
    await provideTestModel(store, 'model');
    trained = await loadModelArtifacts(store, 'model');
    for await (const plot of simulateDataset({ plotType: TEST_MODEL.plotType, count: 90, seed: 11 }))
      inputs.push(await imageToInput(plot.png, TEST_MODEL.input));
  }, 600_000);

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('folds batch norm into the convolutions without changing the outputs', async () => {
    const folded = quantizeOnnx(trained.onnx, new Map());
    expect(operators(folded)).not.toContain('BatchNormalization');
    expect(operators(folded)).not.toContain('QuantizeLinear');
    const [expected, actual] = await Promise.all([
      predictions(trained.onnx, inputs),
      predictions(folded, inputs),
    ]);
    const worst = Math.max(
      ...actual.flatMap((row, index) =>
        row.map((value, column) => Math.abs(value - (expected[index]?.[column] as number))),
      ),
    );
    expect(worst).toBeLessThan(1e-4);
  });

  it('gives the float model’s verdict on images it was not calibrated on', async () => {
    const ranges = await calibrate(trained.model, inputs.slice(0, 30), TEST_MODEL.input);
    const int8 = quantizeOnnx(trained.onnx, ranges);
    expect(operators(int8).filter((operator) => operator === 'QuantizeLinear').length).toBe(ranges.size);
    const held = inputs.slice(30);
    const [float, quantised] = await Promise.all([predictions(trained.onnx, held), predictions(int8, held)]);
    const agreement =
      held.filter((_, index) => argmax(float[index] as number[]) === argmax(quantised[index] as number[]))
        .length / held.length;
    const meanDifference =
      float
        .flatMap((row, index) =>
          row.map((value, column) => Math.abs(value - (quantised[index]?.[column] as number))),
        )
        .reduce((sum, value) => sum + value, 0) /
      (held.length * TEST_MODEL.labels.length);
    console.log(
      `int8 vs float on ${held.length} images: verdicts agree ${(100 * agreement).toFixed(1)} %, mean |Δp| ${meanDifference.toFixed(4)}`,
    );
    expect(agreement).toBeGreaterThanOrEqual(0.97);
    expect(meanDifference).toBeLessThan(0.03);
  });
});
