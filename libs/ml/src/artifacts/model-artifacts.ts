import { createHash } from 'node:crypto';
import type { ObjectStore } from '@hydra/storage';
import * as tf from '@tensorflow/tfjs';
import { exportToOnnx } from '../inference/onnx-export';
import type { OnnxExports, Precision } from '../inference/serving-exports';
import type { IgnoreRegion, InputShape } from '../preprocessing/image-input';

/** Everything a classifier or explainer needs to use a model exactly as it was trained. */
export interface ModelManifest {
  architecture: string;
  /** Label names in output order. */
  labels: string[];
  input: InputShape;
  preprocessing: { resize: 'letterbox'; background: '#ffffff'; scale: '0..1' };
  /** The regions painted white in training, so inference and Grad-CAM paint the same (none before they existed). */
  ignoreRegions: IgnoreRegion[];
  /** The layer Grad-CAM reads. */
  gradCamLayer: string;
  versions: { tfjs: string; onnxOpset: number };
  /** The ONNX model classifiers use unless told otherwise (manifests from before int8 have none: float32). */
  serving: Precision;
  /**
   * Temperature fitted on the validation split (saveModelTemperature): classifiers serve
   * softmax(log p / T), the probabilities the thresholds were chosen on (manifests from before: 1).
   */
  temperature: number;
  sha256: { weights: string; onnx: string; onnxInt8?: string };
  createdAt: string;
}

export type ManifestInput = Pick<ModelManifest, 'architecture' | 'labels' | 'input' | 'gradCamLayer'> &
  Partial<Pick<ModelManifest, 'ignoreRegions'>>;

const FILES = {
  topology: 'model.json',
  weights: 'weights.bin',
  onnx: 'model.onnx',
  onnxInt8: 'model.int8.onnx',
  manifest: 'manifest.json',
};

/**
 * Writes the tfjs model, its ONNX exports and the manifest under `prefix` (e.g.
 * `models/<plotType>/<id>/`). Without `onnxModels` (see exportForServing) only float32 ONNX is written.
 */
export async function saveModelArtifacts(
  store: ObjectStore,
  prefix: string,
  model: tf.LayersModel,
  description: ManifestInput,
  onnxModels?: Pick<OnnxExports, 'float32' | 'int8' | 'serving'>,
): Promise<ModelManifest> {
  const directory = prefix.endsWith('/') ? prefix : `${prefix}/`;
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved?.weightData || !saved.weightSpecs)
    throw new Error(`model ${model.name} produced no weights to save`);
  const weights = Buffer.from(tf.io.concatenateArrayBuffers(saved.weightData as ArrayBuffer | ArrayBuffer[]));
  const onnx = Buffer.from(onnxModels?.float32 ?? (await exportToOnnx(model)));
  const onnxInt8 = onnxModels?.int8 ? Buffer.from(onnxModels.int8) : null;
  const topology = {
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: [FILES.weights], weights: saved.weightSpecs }],
    format: 'layers-model',
  };
  const manifest: ModelManifest = {
    ...description,
    ignoreRegions: description.ignoreRegions ?? [],
    preprocessing: { resize: 'letterbox', background: '#ffffff', scale: '0..1' },
    versions: { tfjs: tf.version.tfjs, onnxOpset: 13 },
    serving: onnxInt8 ? (onnxModels?.serving ?? 'float32') : 'float32',
    // Uncalibrated until the trainer has fitted one on the validation split.
    temperature: 1,
    sha256: {
      weights: sha256(weights),
      onnx: sha256(onnx),
      ...(onnxInt8 ? { onnxInt8: sha256(onnxInt8) } : {}),
    },
    createdAt: new Date().toISOString(),
  };
  await store.put(`${directory}${FILES.weights}`, weights, { contentType: 'application/octet-stream' });
  await store.put(`${directory}${FILES.topology}`, Buffer.from(JSON.stringify(topology)), {
    contentType: 'application/json',
  });
  await store.put(`${directory}${FILES.onnx}`, onnx, { contentType: 'application/octet-stream' });
  if (onnxInt8)
    await store.put(`${directory}${FILES.onnxInt8}`, onnxInt8, { contentType: 'application/octet-stream' });
  // The manifest goes last: its presence says the model is complete.
  await store.put(`${directory}${FILES.manifest}`, Buffer.from(JSON.stringify(manifest, null, 2)), {
    contentType: 'application/json',
  });
  return manifest;
}

/**
 * Records the temperature the trainer fitted after the model was saved; the manifest is rewritten
 * whole, as it was written last (the model's files stay as they are).
 */
export async function saveModelTemperature(
  store: ObjectStore,
  prefix: string,
  manifest: ModelManifest,
  temperature: number,
): Promise<ModelManifest> {
  const directory = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const calibrated: ModelManifest = { ...manifest, temperature };
  await store.put(`${directory}${FILES.manifest}`, Buffer.from(JSON.stringify(calibrated, null, 2)), {
    contentType: 'application/json',
  });
  return calibrated;
}

export interface LoadedModel {
  manifest: ModelManifest;
  model: tf.LayersModel;
  onnx: Uint8Array;
  onnxInt8: Uint8Array | null;
}

/** Reads a model back, refusing weights or an ONNX file whose sha256 differs from the manifest's. */
export async function loadModelArtifacts(store: ObjectStore, prefix: string): Promise<LoadedModel> {
  const directory = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const manifest = JSON.parse(
    (await store.get(`${directory}${FILES.manifest}`)).toString('utf8'),
  ) as ModelManifest;
  manifest.serving ??= 'float32';
  manifest.ignoreRegions ??= [];
  manifest.temperature ??= 1;
  const [topologyFile, weights, onnx, onnxInt8] = await Promise.all([
    store.get(`${directory}${FILES.topology}`),
    store.get(`${directory}${FILES.weights}`),
    store.get(`${directory}${FILES.onnx}`),
    manifest.sha256.onnxInt8 ? store.get(`${directory}${FILES.onnxInt8}`) : null,
  ]);
  if (sha256(weights) !== manifest.sha256.weights)
    throw new Error(`weights under ${directory} do not match the manifest's sha256`);
  if (sha256(onnx) !== manifest.sha256.onnx)
    throw new Error(`ONNX model under ${directory} does not match the manifest's sha256`);
  if (onnxInt8 && sha256(onnxInt8) !== manifest.sha256.onnxInt8)
    throw new Error(`int8 ONNX model under ${directory} does not match the manifest's sha256`);
  const topology = JSON.parse(topologyFile.toString('utf8')) as {
    modelTopology: object;
    weightsManifest: tf.io.WeightsManifestConfig;
  };
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: topology.modelTopology,
      weightSpecs: topology.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(
        weights.byteOffset,
        weights.byteOffset + weights.byteLength,
      ) as ArrayBuffer,
    }),
  );
  return {
    manifest,
    model,
    onnx: new Uint8Array(onnx),
    onnxInt8: onnxInt8 ? new Uint8Array(onnxInt8) : null,
  };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
