import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { hydraCnn } from '../models/hydra-cnn';
import { mobileNetV2 } from '../models/mobilenet-v2';
import {
  applyBaseWeights,
  BUNDLED_BASE,
  baseLayerNames,
  disposeBaseWeights,
  loadBaseWeights,
  saveBaseWeights,
} from './base-weights';

const weightsOf = (model: tf.LayersModel, layer: string) =>
  model
    .getLayer(layer)
    .getWeights()
    .map((weight) => Array.from(weight.dataSync()));

// Building models on wasm takes a second here, more beside the other suites.
jest.setTimeout(30_000);

describe('base weights', () => {
  let folder: string;
  beforeAll(async () => {
    await initialiseBackend('wasm');
    folder = await mkdtemp(join(tmpdir(), 'hydra-base-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it("carry every block to a hydra-cnn of other labels and input, and the base's Good and Bad outputs to its own", async () => {
    const source = hydraCnn({ input: { height: 72, width: 96, channels: 3 }, classes: 2, seed: 1 });
    await saveBaseWeights(source, ['Good', 'Bad'], join(folder, 'base'), { data: 'a test' });
    const base = await loadBaseWeights(join(folder, 'base'));
    const target = hydraCnn({ input: { height: 40, width: 64, channels: 3 }, classes: 3, seed: 9 });
    const [freshKernel] = weightsOf(target, 'classes') as [number[]];
    applyBaseWeights(target, base, ['NoData', 'Bad', 'Good']);

    expect(baseLayerNames(target)).toEqual(baseLayerNames(source));
    expect(baseLayerNames(target)).toHaveLength(8); // four convolutions, four batch norms
    for (const layer of baseLayerNames(target))
      expect(weightsOf(target, layer)).toEqual(weightsOf(source, layer));
    // The head's kernel is 64 features × outputs, row-major: output k of feature f is [f * outputs + k].
    const [sourceKernel, sourceBias] = weightsOf(source, 'classes') as [number[], number[]];
    const [kernel, bias] = weightsOf(target, 'classes') as [number[], number[]];
    const column = (values: number[], outputs: number, output: number) =>
      values.filter((_, index) => index % outputs === output);
    expect(column(kernel, 3, 2)).toEqual(column(sourceKernel, 2, 0)); // Good
    expect(column(kernel, 3, 1)).toEqual(column(sourceKernel, 2, 1)); // Bad
    expect(column(kernel, 3, 0)).toEqual(column(freshKernel, 3, 0)); // NoData: the base has none
    expect(bias).toEqual([0, sourceBias[1], sourceBias[0]]);
    expect(base.description).toMatchObject({ labels: ['Good', 'Bad'], provenance: { data: 'a test' } });
    expect(base.sha256).toMatch(/^[0-9a-f]{64}$/);
    // It still predicts: the layers hold the copies, not tensors that were freed.
    expect((target.predict(tf.zeros([1, 40, 64, 3])) as tf.Tensor).shape).toEqual([1, 3]);
    disposeBaseWeights(base);
    source.dispose();
    target.dispose();
  });

  it("gives a model fed the median residual the base's first kernel for the image's channels, its own for the residual's", async () => {
    const source = hydraCnn({ input: { height: 32, width: 32, channels: 3 }, classes: 2, seed: 1 });
    await saveBaseWeights(source, ['Good', 'Bad'], join(folder, 'narrow'), {});
    const base = await loadBaseWeights(join(folder, 'narrow'));
    const input = { height: 32, width: 32, channels: 3, medianResidual: { window: 5, gain: 10 } } as const;
    const target = hydraCnn({ input, classes: 2, seed: 5 });
    const kernelOf = (model: tf.LayersModel) =>
      (model.getLayer('block1_conv').getWeights()[0] as tf.Tensor).arraySync() as number[][][][];
    const fresh = kernelOf(target);
    applyBaseWeights(target, base, ['Good', 'Bad']);
    const [kernel, sourceKernel] = [kernelOf(target), kernelOf(source)];
    // [row][column][input channel][filter]: channels 0–2 the base's, 3–5 the fresh model's.
    const slice = (values: number[][][][], from: number, to: number) =>
      values.flatMap((row) => row.map((column) => column.slice(from, to)));
    expect(slice(kernel, 0, 3)).toEqual(slice(sourceKernel, 0, 3));
    expect(slice(kernel, 3, 6)).toEqual(slice(fresh, 3, 6));
    expect(weightsOf(target, 'block2_conv')).toEqual(weightsOf(source, 'block2_conv'));
    expect((target.predict(tf.zeros([1, 32, 32, 6])) as tf.Tensor).shape).toEqual([1, 2]);
    disposeBaseWeights(base);
    [source, target].forEach((model) => model.dispose());
  });

  it('refuses a model whose layers it does not fit, and a weights file that is cut short', async () => {
    const source = hydraCnn({ input: { height: 32, width: 32, channels: 3 }, classes: 2, seed: 1 });
    await saveBaseWeights(source, ['Good', 'Bad'], join(folder, 'small'), {});
    const base = await loadBaseWeights(join(folder, 'small'));
    const narrower = hydraCnn({
      input: { height: 32, width: 32, channels: 3 },
      classes: 2,
      filters: [8, 16, 24, 32],
    });
    expect(() => applyBaseWeights(narrower, base, ['Good', 'Bad'])).toThrow(
      "the base's block1_conv has shapes 3×3×3×16, the model's 3×3×3×8",
    );
    const mobileNet = mobileNetV2({ input: { height: 32, width: 32, channels: 3 }, classes: 2, alpha: 0.35 });
    expect(() => applyBaseWeights(mobileNet, base, ['Good', 'Bad'])).toThrow(
      'the base does not fit this model: no weights for',
    );
    disposeBaseWeights(base);

    const bytes = await readFile(join(folder, 'small.bin'));
    await writeFile(join(folder, 'small.bin'), bytes.subarray(0, bytes.length - 4));
    await expect(loadBaseWeights(join(folder, 'small'))).rejects.toThrow(
      `small.bin holds ${bytes.length - 4} bytes, its description ${bytes.length}`,
    );
    [source, narrower, mobileNet].forEach((model) => model.dispose());
  });

  it('ship a bundled base that fits hydra-cnn and says how it was made', async () => {
    const base = await loadBaseWeights(BUNDLED_BASE);
    const model = hydraCnn({ input: { height: 72, width: 96, channels: 3 }, classes: 3 });
    expect(() => applyBaseWeights(model, base, ['Good', 'Bad', 'NoData'])).not.toThrow();
    expect(base.description.provenance).toMatchObject({
      input: '72x96',
      images: { train: 5100, validation: 900 },
    });
    // A base that cannot tell Good from Bad on the plots it was made from would be worse than none.
    expect((base.description.provenance.validationAccuracyPct as { all: number }).all).toBeGreaterThan(90);
    disposeBaseWeights(base);
    model.dispose();
  });
});
