import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalObjectStore } from '@hydra/storage';
import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { heatExemplars, heatReference } from '../explain/heat-reference';
import { createClassifier } from '../inference/classifier';
import { trainModel } from '../training/train-model';
import { OnnxClassifier } from '../inference/onnx-classifier';
import { HYDRA_CNN_GRADCAM_LAYER, hydraCnn } from '../models/hydra-cnn';
import { modelInput } from '../preprocessing/image-input';
import { loadModelArtifacts, saveModelArtifacts, saveModelTemperature } from './model-artifacts';

const INPUT = { height: 36, width: 48, channels: 3 } as const;

describe('model artifacts', () => {
  const root = mkdtempSync(join(tmpdir(), 'hydra-models-'));
  const store = new LocalObjectStore({
    root,
    signingSecret: 'test-secret-0123456789',
    publicBaseUrl: 'http://127.0.0.1/objects',
  });
  const prefix = 'models/FCAL_occupancy/0b1e4a4e-8b8e-4f7c-9d53-2d1f5c3b7a10/';
  const description = {
    architecture: 'hydra-cnn',
    labels: ['Good', 'Bad', 'NoData'],
    input: INPUT,
    gradCamLayer: HYDRA_CNN_GRADCAM_LAYER(),
  };

  beforeAll(() => initialiseBackend('wasm'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('saves and loads a model that predicts exactly as before, in tfjs and ONNX', async () => {
    const model = hydraCnn({ input: INPUT, classes: 3, seed: 5 });
    const manifest = await saveModelArtifacts(store, prefix, model, description);
    expect(manifest).toMatchObject({ ...description, versions: { tfjs: tf.version.tfjs, onnxOpset: 13 } });
    expect(manifest.sha256.weights).toMatch(/^[0-9a-f]{64}$/);

    const loaded = await loadModelArtifacts(store, prefix);
    expect(loaded.manifest).toEqual(manifest);
    const input = tf.randomUniform([2, INPUT.height, INPUT.width, 3], 0, 1, 'float32', 9);
    const before = (model.predict(input) as tf.Tensor).dataSync();
    const after = (loaded.model.predict(input) as tf.Tensor).dataSync();
    expect(Array.from(after)).toEqual(Array.from(before));

    const classifier = await OnnxClassifier.load(loaded.onnx, INPUT);
    const [first] = await classifier.predict([input.slice([0], [1]).dataSync() as Float32Array]);
    expect(
      Math.max(...(first as number[]).map((value, index) => Math.abs(value - (before[index] as number)))),
    ).toBeLessThan(1e-4);
    await classifier.dispose();
    input.dispose();
    model.dispose();
    loaded.model.dispose();
  });

  it('records the ignore regions a model was trained with; older manifests without them have none', async () => {
    const model = hydraCnn({ input: INPUT, classes: 3, seed: 7 });
    const regions = [
      { x: 0, y: 0, width: 1, height: 0.1 },
      { x: 0.7, y: 0.1, width: 0.3, height: 0.25 },
    ];
    const masked = 'models/FCAL_occupancy/masked/';
    expect(
      (await saveModelArtifacts(store, masked, model, { ...description, ignoreRegions: regions }))
        .ignoreRegions,
    ).toEqual(regions);
    expect((await loadModelArtifacts(store, masked)).manifest.ignoreRegions).toEqual(regions);

    const plain = 'models/FCAL_occupancy/plain/';
    expect((await saveModelArtifacts(store, plain, model, description)).ignoreRegions).toEqual([]);
    const { ignoreRegions, ...older } = JSON.parse(
      (await store.get(`${plain}manifest.json`)).toString('utf8'),
    );
    expect(ignoreRegions).toEqual([]);
    await store.put(`${plain}manifest.json`, Buffer.from(JSON.stringify(older)));
    expect((await loadModelArtifacts(store, plain)).manifest.ignoreRegions).toEqual([]);
    model.dispose();
  });

  it('serves probabilities at the temperature the trainer recorded; older manifests without one at 1', async () => {
    const model = hydraCnn({ input: INPUT, classes: 3, seed: 9 });
    const calibrated = 'models/FCAL_occupancy/calibrated/';
    const manifest = await saveModelArtifacts(store, calibrated, model, description);
    expect(manifest.temperature).toBe(1);
    const input = tf.randomUniform([1, INPUT.height, INPUT.width, 3], 0, 1, 'float32', 4);
    const inputs = [input.dataSync() as Float32Array];
    const predict = async () => {
      const classifier = await createClassifier(await loadModelArtifacts(store, calibrated));
      const [row] = await classifier.predict(inputs);
      await classifier.dispose();
      return row as number[];
    };
    const raw = await predict();
    await saveModelTemperature(store, calibrated, manifest, 2);
    expect((await loadModelArtifacts(store, calibrated)).manifest.temperature).toBe(2);
    const softened = await predict();
    // softmax(log p / 2) ∝ √p: the same verdict, less sure.
    const roots = raw.map(Math.sqrt);
    const total = roots.reduce((sum, value) => sum + value, 0);
    softened.forEach((value, index) => expect(value).toBeCloseTo((roots[index] as number) / total, 5));
    expect(Math.max(...softened)).toBeLessThan(Math.max(...raw));

    const { temperature: _, ...older } = manifest;
    await store.put(`${calibrated}manifest.json`, Buffer.from(JSON.stringify(older)));
    expect((await loadModelArtifacts(store, calibrated)).manifest.temperature).toBe(1);
    (await predict()).forEach((value, index) => expect(value).toBeCloseTo(raw[index] as number, 6));
    input.dispose();
    model.dispose();
  });

  it("stores the heat maps' reference and exemplars with the model, checked like its weights; models without have none", async () => {
    const model = hydraCnn({ input: INPUT, classes: 3, seed: 11 });
    const examples = {
      inputs: Array.from({ length: 4 }, (_, index) =>
        Float32Array.from(
          { length: INPUT.height * INPUT.width * 3 },
          (__, pixel) => ((pixel + index) % 5) / 5,
        ),
      ),
      labels: [0, 1, 0, 2],
    };
    const layers = ['block1_relu', 'block2_relu'];
    const reference = await heatReference(model, layers, examples, 0, 'Good');
    const exemplars = await heatExemplars(examples, 0, 'Good', INPUT);
    const referenced = 'models/FCAL_occupancy/referenced/';
    const manifest = await saveModelArtifacts(store, referenced, model, {
      ...description,
      heatReference: reference,
      heatExemplars: exemplars,
    });
    expect(manifest.heatExemplars).toEqual({ label: 'Good', of: 2, count: 2, encoding: 'pixels' });
    expect(manifest.heatReference).toEqual({
      label: 'Good',
      count: 2,
      layers: [
        { name: 'block1_relu', shape: [36, 48, 16] },
        { name: 'block2_relu', shape: [18, 24, 32] },
      ],
    });
    const loaded = await loadModelArtifacts(store, referenced);
    expect(loaded.heatReference?.layers.map(({ name, values }) => [name, Array.from(values)])).toEqual(
      reference?.layers.map(({ name, values }) => [name, Array.from(values)]),
    );
    // Kept as their 8-bit pixels: a byte a value, not float32's four.
    const pixelsOf = (input: Float32Array) => Array.from(input, (value) => Math.round(value * 255));
    const goodPixels = [
      pixelsOf(examples.inputs[0] as Float32Array),
      pixelsOf(examples.inputs[2] as Float32Array),
    ];
    expect(loaded.heatExemplars?.pixels.map((pixels) => Array.from(pixels))).toEqual(goodPixels);
    expect((await store.get(`${referenced}heat-exemplars.bin`)).byteLength).toBe(
      2 * INPUT.height * INPUT.width * 3,
    );
    loaded.model.dispose();
    // A classifier makes no heat maps, so it reads neither.
    const classifying = await loadModelArtifacts(store, referenced, { heatMaps: false });
    expect([classifying.heatReference, classifying.heatExemplars]).toEqual([null, null]);
    classifying.model.dispose();

    const kept = await store.get(`${referenced}heat-exemplars.bin`);
    await store.put(`${referenced}heat-exemplars.bin`, kept.subarray(4));
    await expect(loadModelArtifacts(store, referenced)).rejects.toThrow(
      "heat exemplars under models/FCAL_occupancy/referenced/ do not match the manifest's sha256",
    );
    await store.put(`${referenced}heat-exemplars.bin`, kept);

    // A model saved before pixels were kept stored float32 model inputs: read back as their pixels.
    const older = 'models/FCAL_occupancy/older/';
    const olderManifest = await saveModelArtifacts(store, older, model, description);
    const floats = Buffer.concat(
      [examples.inputs[0], examples.inputs[2]].map((input) => Buffer.from((input as Float32Array).buffer)),
    );
    await store.put(`${older}heat-exemplars.bin`, floats);
    await store.put(
      `${older}manifest.json`,
      Buffer.from(
        JSON.stringify({
          ...olderManifest,
          heatExemplars: { label: 'Good', of: 2, count: 2 },
          sha256: {
            ...olderManifest.sha256,
            heatExemplars: createHash('sha256').update(floats).digest('hex'),
          },
        }),
      ),
    );
    const fromOlder = await loadModelArtifacts(store, older);
    expect(fromOlder.heatExemplars?.pixels.map((pixels) => Array.from(pixels))).toEqual(goodPixels);
    fromOlder.model.dispose();

    const file = await store.get(`${referenced}heat-reference.bin`);
    file[7] = (file[7] as number) ^ 0xff;
    await store.put(`${referenced}heat-reference.bin`, file);
    await expect(loadModelArtifacts(store, referenced)).rejects.toThrow(
      "heat reference under models/FCAL_occupancy/referenced/ does not match the manifest's sha256",
    );

    const plain = 'models/FCAL_occupancy/unreferenced/';
    expect((await saveModelArtifacts(store, plain, model, description)).heatReference).toBeUndefined();
    const unreferenced = await loadModelArtifacts(store, plain);
    expect(unreferenced.heatReference).toBeNull();
    expect(unreferenced.heatExemplars).toBeNull();
    unreferenced.model.dispose();
    model.dispose();
  });

  it('reads the Good plots of a model with a Good reference even for classifying, and refuses one without them', async () => {
    const input = { ...INPUT, goodReference: { nearest: 3, gain: 10 } };
    const model = hydraCnn({ input, classes: 3, seed: 11 });
    const size = INPUT.height * INPUT.width * 3;
    const goods = [40, 80, 120].map((level) => new Uint8Array(size).fill(level));
    const withGoods = 'models/FCAL_occupancy/good-reference/';
    const manifest = await saveModelArtifacts(store, withGoods, model, {
      ...description,
      input,
      heatExemplars: { label: 'Good', of: 3, input, pixels: goods },
    });
    expect(manifest.input).toEqual(input);
    const classifying = await loadModelArtifacts(store, withGoods, { heatMaps: false });
    expect(classifying.heatExemplars?.pixels.map((pixels) => pixels[0])).toEqual([40, 80, 120]);
    const classifier = await createClassifier(classifying);
    const plot = new Uint8Array(size).fill(90);
    const [probabilities] = await classifier.predict([
      modelInput(plot, input, classifying.heatExemplars?.pixels),
    ]);
    expect(probabilities?.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
    await classifier.dispose();

    const without = 'models/FCAL_occupancy/good-reference-lost/';
    await saveModelArtifacts(store, without, model, { ...description, input });
    await expect(loadModelArtifacts(store, without, { heatMaps: false })).rejects.toThrow(
      'the model under models/FCAL_occupancy/good-reference-lost/ compares plots with its Good plots, but stores none',
    );
    model.dispose();
  });

  it('refuses a manifest damaged in the store at load, naming the field at fault', async () => {
    const input = { ...INPUT, goodReference: { nearest: 3, gain: 10 } };
    const model = hydraCnn({ input, classes: 3, seed: 12 });
    const damaged = 'models/FCAL_occupancy/damaged/';
    const goods = [new Uint8Array(INPUT.height * INPUT.width * 3).fill(60)];
    const manifest = await saveModelArtifacts(store, damaged, model, {
      ...description,
      input,
      heatExemplars: { label: 'Good', of: 1, input, pixels: goods },
    });
    const load = async (stored: string) => {
      await store.put(`${damaged}manifest.json`, Buffer.from(stored));
      return loadModelArtifacts(store, damaged, { heatMaps: false });
    };
    const withInput = (changed: object) => JSON.stringify({ ...manifest, input: { ...input, ...changed } });
    await expect(load(withInput({ goodReference: { nearest: 0, gain: 10 } }))).rejects.toThrow(
      /the manifest under models\/FCAL_occupancy\/damaged\/ is not valid:[^]*input\.goodReference\.nearest/,
    );
    await expect(load(withInput({ goodReference: { nearest: 2.5, gain: 10 } }))).rejects.toThrow(
      /input\.goodReference\.nearest/,
    );
    await expect(load(withInput({ medianResidual: { window: 4, gain: 10 } }))).rejects.toThrow(
      /the window must be odd[^]*input\.medianResidual\.window/,
    );
    await expect(load(withInput({ channels: 2 }))).rejects.toThrow(/input\.channels/);
    await expect(load(JSON.stringify({ ...manifest, labels: ['Good', 'Good', 'Bad'] }))).rejects.toThrow(
      'the labels must differ',
    );
    await expect(load(JSON.stringify({ ...manifest, temperature: -1 }))).rejects.toThrow(/temperature/);
    await expect(load('{"architecture": "hydra-cnn",')).rejects.toThrow(
      'the manifest under models/FCAL_occupancy/damaged/ is not JSON',
    );
    expect((await load(JSON.stringify(manifest))).manifest).toEqual(manifest);
    model.dispose();
  });

  it('refuses weights that were changed after saving', async () => {
    const model = hydraCnn({ input: INPUT, classes: 3, seed: 6 });
    await saveModelArtifacts(store, 'models/CDC_timing/tampered/', model, description);
    const weights = await store.get('models/CDC_timing/tampered/weights.bin');
    weights[0] = (weights[0] as number) ^ 0xff;
    await store.put('models/CDC_timing/tampered/weights.bin', weights);
    await expect(loadModelArtifacts(store, 'models/CDC_timing/tampered/')).rejects.toThrow(
      "do not match the manifest's sha256",
    );
    model.dispose();
  });

  it('classifies on ONNX Runtime, and on tfjs when the ONNX model cannot load', async () => {
    const model = hydraCnn({ input: INPUT, classes: 3, seed: 8 });
    await saveModelArtifacts(store, 'models/BCAL/fallback/', model, description);
    const input = Float32Array.from(
      { length: INPUT.height * INPUT.width * 3 },
      (_, index) => (index % 7) / 7,
    );
    const onnx = await createClassifier(await loadModelArtifacts(store, 'models/BCAL/fallback/'));
    expect(onnx.engine).toBe('onnx');
    const broken = await loadModelArtifacts(store, 'models/BCAL/fallback/');
    const reasons: string[] = [];
    const tfjs = await createClassifier(
      { ...broken, onnx: new Uint8Array([1, 2, 3]) },
      { onFallback: (reason) => reasons.push(reason) },
    );
    expect(tfjs.engine).toBe('tfjs');
    expect(reasons[0]).toMatch(/^ONNX Runtime could not load the model/);
    const [fromOnnx] = await onnx.predict([input]);
    const [fromTfjs] = await tfjs.predict([input]);
    expect(
      Math.max(
        ...(fromOnnx as number[]).map((value, index) => Math.abs(value - (fromTfjs?.[index] as number))),
      ),
    ).toBeLessThan(1e-4);
    await onnx.dispose();
    await tfjs.dispose();
    model.dispose();
  });

  it('fine-tunes a loaded parent model: training starts from its weights and moves them', async () => {
    const parent = hydraCnn({ input: INPUT, classes: 3, seed: 10 });
    await saveModelArtifacts(store, 'models/FCAL_occupancy/parent/', parent, description);
    const { model: child } = await loadModelArtifacts(store, 'models/FCAL_occupancy/parent/');
    const size = INPUT.height * INPUT.width * 3;
    const examples = {
      inputs: Array.from({ length: 12 }, (_, index) =>
        Float32Array.from({ length: size }, (__, pixel) => ((pixel * (index + 1)) % 11) / 11),
      ),
      labels: Array.from({ length: 12 }, (_, index) => index % 3),
    };
    const before = child.getWeights().map((weight) => weight.dataSync().slice());
    const result = await trainModel(child, examples, examples, {
      epochs: 1,
      batchSize: 4,
      learningRate: 1e-3,
      optimizer: 'sgd',
      balancing: 'weighted-loss',
    });
    expect(Number.isFinite(result.history[0]?.loss)).toBe(true);
    const moved = child
      .getWeights()
      .some((weight, index) =>
        weight.dataSync().some((value, position) => value !== before[index]?.[position]),
      );
    expect(moved).toBe(true);
    parent.dispose();
    child.dispose();
  });
});
