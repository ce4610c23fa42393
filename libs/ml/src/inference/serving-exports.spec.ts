import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateDataset } from '@hydra/simulator';
import { LocalObjectStore } from '@hydra/storage';
import { loadModelArtifacts, saveModelArtifacts } from '../artifacts/model-artifacts';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { imageToInput } from '../preprocessing/image-input';
import { provideTestModel, TEST_MODEL } from '../testing/test-model';
import { createClassifier } from './classifier';
import { exportForServing, type Int8Comparison, type OnnxExports, servingReason } from './serving-exports';

describe('which ONNX model serves', () => {
  const agreeing: Int8Comparison = {
    images: 200,
    verdictAgreement: 1,
    maxProbabilityDifference: 0.01,
    msPerImage: { float32: 30, int8: 15 },
    batch: 32,
  };

  it('serves int8 only where it keeps every verdict and is clearly faster', () => {
    expect(servingReason(agreeing)).toBeNull();
    expect(servingReason({ ...agreeing, verdictAgreement: 0.995 })).toBe(
      'int8 changes the verdict on 1 of 200 images',
    );
    expect(servingReason({ ...agreeing, msPerImage: { float32: 0.5, int8: 0.48 } })).toBe(
      'int8 is not faster (0.480 ms against 0.500 ms per image)',
    );
    expect(servingReason({ ...agreeing, images: 0 })).toBe('no images to compare int8 with float32 on');
  });
});

describe('a trained model exported for serving', () => {
  let root: string;
  let store: LocalObjectStore;
  let onnxModels: OnnxExports;
  const calibration: Float32Array[] = [];
  const check: Float32Array[] = [];

  beforeAll(async () => {
    await initialiseBackend('wasm');
    root = await mkdtemp(join(tmpdir(), 'hydra-serving-'));
    store = new LocalObjectStore({ root, signingSecret: 'test', publicBaseUrl: 'http://127.0.0.1' });
    await provideTestModel(store, 'trained');
    for await (const plot of simulateDataset({ plotType: TEST_MODEL.plotType, count: 100, seed: 21 }))
      (calibration.length < 40 ? calibration : check).push(await imageToInput(plot.png, TEST_MODEL.input));
    const { model, manifest } = await loadModelArtifacts(store, 'trained');
    const { architecture, labels, input, gradCamLayer } = manifest;
    onnxModels = await exportForServing(model, input, { calibration, check });
    await saveModelArtifacts(
      store,
      'exported',
      model,
      { architecture, labels, input, gradCamLayer },
      onnxModels,
    );
    await saveModelArtifacts(store, 'float-only', model, { architecture, labels, input, gradCamLayer });
    model.dispose();
  }, 600_000);

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('compares int8 with float32 on the check images and records the choice in the manifest', async () => {
    expect(onnxModels.int8).not.toBeNull();
    const comparison = onnxModels.comparison as Int8Comparison;
    expect(comparison.images).toBe(check.length);
    expect(comparison.verdictAgreement).toBeGreaterThanOrEqual(0.95);
    expect(comparison.maxProbabilityDifference).toBeGreaterThan(0);
    expect(comparison.msPerImage.float32).toBeGreaterThan(0);
    expect(comparison.msPerImage.int8).toBeGreaterThan(0);
    expect(onnxModels.reason).toBe(servingReason(comparison));
    expect(onnxModels.serving).toBe(onnxModels.reason ? 'float32' : 'int8');
    console.log(
      `test model: int8 agrees on ${(100 * comparison.verdictAgreement).toFixed(1)} % of ${comparison.images} images, ` +
        `${comparison.msPerImage.int8.toFixed(3)} against ${comparison.msPerImage.float32.toFixed(3)} ms per image; serving ${onnxModels.serving}`,
    );
    const loaded = await loadModelArtifacts(store, 'exported');
    expect(loaded.manifest.serving).toBe(onnxModels.serving);
    expect(loaded.manifest.sha256.onnxInt8).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.onnxInt8).toEqual(onnxModels.int8);
    loaded.model.dispose();
  });

  it('serves the precision asked for, the manifest’s when asked for none', async () => {
    const engines = async (precision: 'auto' | 'float32' | 'int8') => {
      const classifier = await createClassifier(await loadModelArtifacts(store, 'exported'), { precision });
      const predictions = await classifier.predict(check.slice(0, 8));
      await classifier.dispose();
      return { engine: classifier.engine, predictions };
    };
    const float32 = await engines('float32');
    const int8 = await engines('int8');
    expect(float32.engine).toBe('onnx');
    expect(int8.engine).toBe('onnx-int8');
    expect((await engines('auto')).engine).toBe(onnxModels.serving === 'int8' ? 'onnx-int8' : 'onnx');
    const differences = float32.predictions.flatMap((row, index) =>
      row.map((value, column) => Math.abs(value - (int8.predictions[index]?.[column] as number))),
    );
    expect(Math.max(...differences)).toBeGreaterThan(0);
    expect(Math.max(...differences)).toBeLessThanOrEqual(
      (onnxModels.comparison as Int8Comparison).maxProbabilityDifference + 1e-6,
    );
  });

  it('falls back to float32, saying why, when a model has no int8 export', async () => {
    const reasons: string[] = [];
    const classifier = await createClassifier(await loadModelArtifacts(store, 'float-only'), {
      precision: 'int8',
      onFallback: (reason) => reasons.push(reason),
    });
    expect(classifier.engine).toBe('onnx');
    expect(reasons).toEqual(['the model has no int8 ONNX export; using float32']);
    await classifier.dispose();
  });

  it('refuses an int8 model changed after saving', async () => {
    const bytes = await store.get('exported/model.int8.onnx');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    await store.put('tampered/model.int8.onnx', bytes);
    for (const file of ['model.json', 'weights.bin', 'model.onnx', 'manifest.json'])
      await store.put(`tampered/${file}`, await store.get(`exported/${file}`));
    await expect(loadModelArtifacts(store, 'tampered')).rejects.toThrow(
      "int8 ONNX model under tampered/ does not match the manifest's sha256",
    );
  });
});
