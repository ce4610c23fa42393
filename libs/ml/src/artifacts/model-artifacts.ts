import { createHash } from 'node:crypto';
import type { ObjectStore } from '@hydra/storage';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { exportToOnnx } from '../inference/onnx-export';
import type { OnnxExports, Precision } from '../inference/serving-exports';
import type { HeatExemplars, HeatReference } from '../explain/heat-reference';
import { type IgnoreRegion, inputPixels, type InputShape, modelChannels } from '../preprocessing/image-input';
import { manifestSchema } from './manifest-schema';

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
  /**
   * What heat maps are measured from (HeatReference); its values, float32 in layer order, are in
   * heat-reference.bin. None in manifests from before, or where training had no plot of the class.
   */
  heatReference?: Omit<HeatReference, 'layers'> & {
    layers: Omit<HeatReference['layers'][number], 'values'>[];
  };
  /**
   * The training plots of the reference class kept for heat maps measured from the plots nearest
   * the one explained (HeatExemplars): `count` plots one after another in heat-exemplars.bin, as
   * their 8-bit pixels (`encoding: 'pixels'`), or in manifests from before it as float32 model
   * inputs. None in manifests from before either, or where training had no plot of the class.
   */
  heatExemplars?: { label: string; of: number; count: number; encoding?: 'pixels' };
  sha256: {
    weights: string;
    onnx: string;
    onnxInt8?: string;
    heatReference?: string;
    heatExemplars?: string;
  };
  createdAt: string;
}

export type ManifestInput = Pick<ModelManifest, 'architecture' | 'labels' | 'input' | 'gradCamLayer'> &
  Partial<Pick<ModelManifest, 'ignoreRegions'>> & {
    heatReference?: HeatReference | null;
    heatExemplars?: HeatExemplars | null;
  };

const FILES = {
  topology: 'model.json',
  weights: 'weights.bin',
  onnx: 'model.onnx',
  onnxInt8: 'model.int8.onnx',
  heatReference: 'heat-reference.bin',
  heatExemplars: 'heat-exemplars.bin',
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
  const { heatReference, heatExemplars, ...described } = description;
  const reference = heatReference ? float32Bytes(heatReference.layers.map((layer) => layer.values)) : null;
  const exemplars = heatExemplars?.pixels.length ? Buffer.concat(heatExemplars.pixels) : null;
  const topology = {
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: [FILES.weights], weights: saved.weightSpecs }],
    format: 'layers-model',
  };
  const manifest: ModelManifest = {
    ...described,
    ignoreRegions: described.ignoreRegions ?? [],
    preprocessing: { resize: 'letterbox', background: '#ffffff', scale: '0..1' },
    versions: { tfjs: tf.version.tfjs, onnxOpset: 13 },
    serving: onnxInt8 ? (onnxModels?.serving ?? 'float32') : 'float32',
    // Uncalibrated until the trainer has fitted one on the validation split.
    temperature: 1,
    ...(heatReference && {
      heatReference: {
        label: heatReference.label,
        count: heatReference.count,
        layers: heatReference.layers.map(({ name, shape }) => ({ name, shape })),
      },
    }),
    ...(heatExemplars &&
      exemplars && {
        heatExemplars: {
          label: heatExemplars.label,
          of: heatExemplars.of,
          count: heatExemplars.pixels.length,
          encoding: 'pixels',
        },
      }),
    sha256: {
      weights: sha256(weights),
      onnx: sha256(onnx),
      ...(onnxInt8 ? { onnxInt8: sha256(onnxInt8) } : {}),
      ...(reference ? { heatReference: sha256(reference) } : {}),
      ...(exemplars ? { heatExemplars: sha256(exemplars) } : {}),
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
  if (reference)
    await store.put(`${directory}${FILES.heatReference}`, reference, {
      contentType: 'application/octet-stream',
    });
  if (exemplars)
    await store.put(`${directory}${FILES.heatExemplars}`, exemplars, {
      contentType: 'application/octet-stream',
    });
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
  heatReference: HeatReference | null;
  heatExemplars: HeatExemplars | null;
}

/** A model's manifest alone, checked (manifestSchema), with the defaults of fields older manifests lack. */
export async function loadModelManifest(store: ObjectStore, prefix: string): Promise<ModelManifest> {
  const directory = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const file = (await store.get(`${directory}${FILES.manifest}`)).toString('utf8');
  let stored: unknown;
  try {
    stored = JSON.parse(file);
  } catch {
    throw new Error(`the manifest under ${directory} is not JSON`);
  }
  const manifest = manifestSchema.safeParse(stored);
  if (!manifest.success)
    throw new Error(`the manifest under ${directory} is not valid: ${z.prettifyError(manifest.error)}`);
  return manifest.data as ModelManifest;
}

/**
 * Reads a model back, refusing weights or an ONNX file whose sha256 differs from the manifest's.
 * `heatMaps: false` leaves the heat maps' reference and exemplars unread (null), for a reader that
 * makes none; the exemplars are read all the same where the input has a Good reference, which they
 * are (ReferencePlots).
 */
export async function loadModelArtifacts(
  store: ObjectStore,
  prefix: string,
  { heatMaps = true }: { heatMaps?: boolean } = {},
): Promise<LoadedModel> {
  const directory = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const manifest = await loadModelManifest(store, directory);
  const [topologyFile, weights, onnx, onnxInt8, reference, exemplars] = await Promise.all([
    store.get(`${directory}${FILES.topology}`),
    store.get(`${directory}${FILES.weights}`),
    store.get(`${directory}${FILES.onnx}`),
    manifest.sha256.onnxInt8 ? store.get(`${directory}${FILES.onnxInt8}`) : null,
    heatMaps && manifest.heatReference ? store.get(`${directory}${FILES.heatReference}`) : null,
    (heatMaps || manifest.input.goodReference) && manifest.heatExemplars
      ? store.get(`${directory}${FILES.heatExemplars}`)
      : null,
  ]);
  if (sha256(weights) !== manifest.sha256.weights)
    throw new Error(`weights under ${directory} do not match the manifest's sha256`);
  if (sha256(onnx) !== manifest.sha256.onnx)
    throw new Error(`ONNX model under ${directory} does not match the manifest's sha256`);
  if (onnxInt8 && sha256(onnxInt8) !== manifest.sha256.onnxInt8)
    throw new Error(`int8 ONNX model under ${directory} does not match the manifest's sha256`);
  if (reference && sha256(reference) !== manifest.sha256.heatReference)
    throw new Error(`heat reference under ${directory} does not match the manifest's sha256`);
  if (exemplars && sha256(exemplars) !== manifest.sha256.heatExemplars)
    throw new Error(`heat exemplars under ${directory} do not match the manifest's sha256`);
  if (manifest.input.goodReference && !exemplars)
    throw new Error(`the model under ${directory} compares plots with its Good plots, but stores none`);
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
    heatReference:
      reference && manifest.heatReference ? referenceFrom(reference, manifest.heatReference) : null,
    heatExemplars: exemplars && manifest.heatExemplars ? exemplarsFrom(exemplars, manifest) : null,
  };
}

/** Float32 arrays one after another. */
function float32Bytes(arrays: readonly Float32Array[]): Buffer {
  const bytes = Buffer.alloc(arrays.reduce((total, values) => total + values.byteLength, 0));
  let offset = 0;
  for (const values of arrays) {
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    offset += values.byteLength;
  }
  return bytes;
}

/** The reference back from its bytes and the manifest's layer shapes, which must account for every byte. */
function referenceFrom(bytes: Buffer, described: NonNullable<ModelManifest['heatReference']>): HeatReference {
  const sizes = described.layers.map(({ shape }) => shape.reduce((product, size) => product * size, 1));
  if (sizes.reduce((a, b) => a + b, 0) * Float32Array.BYTES_PER_ELEMENT !== bytes.byteLength)
    throw new Error(`heat reference of ${bytes.byteLength} bytes does not fit its layers' shapes`);
  // Copied: a Float32Array needs an aligned offset, which a store's Buffer need not have.
  const values = new Float32Array(new Uint8Array(bytes).buffer);
  let offset = 0;
  const layers = described.layers.map(({ name, shape }, index) => {
    const layer = { name, shape, values: values.subarray(offset, offset + (sizes[index] as number)) };
    offset += sizes[index] as number;
    return layer;
  });
  return { label: described.label, count: described.count, layers };
}

/**
 * The exemplars back from their bytes: as many plots of the manifest's input as it says, every byte
 * accounted for; float32 model inputs of an older manifest are read back as their pixels.
 */
function exemplarsFrom(bytes: Buffer, manifest: ModelManifest): HeatExemplars {
  const described = manifest.heatExemplars as NonNullable<ModelManifest['heatExemplars']>;
  const { input } = manifest;
  const pixels = described.encoding === 'pixels';
  const length = input.height * input.width * (pixels ? input.channels : modelChannels(input));
  const size = pixels ? 1 : Float32Array.BYTES_PER_ELEMENT;
  if (length * described.count * size !== bytes.byteLength)
    throw new Error(
      `heat exemplars of ${bytes.byteLength} bytes are not ${described.count} plots of ${length} values`,
    );
  // Copied: each plot owns its bytes, and a Float32Array needs an aligned offset, which a store's Buffer need not have.
  const copy = new Uint8Array(bytes);
  const plot = (index: number) =>
    pixels
      ? copy.subarray(index * length, (index + 1) * length)
      : inputPixels(new Float32Array(copy.buffer, index * length * size, length), input);
  return {
    label: described.label,
    of: described.of,
    input,
    pixels: Array.from({ length: described.count }, (_, index) => plot(index)),
  };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
