import * as tf from '@tensorflow/tfjs';
import { onnx } from 'onnx-proto';
import { type InputShape, modelChannels } from '../preprocessing/image-input';
import { onnxTensorName } from './onnx-export';

/**
 * Static int8 quantisation of an exported model, in the QDQ form ONNX Runtime fuses into integer
 * kernels (QLinearConv on VNNI): batch norm folded into the convolutions, weights int8 per output
 * channel, activations uint8 per tensor with ranges measured on calibration images. On this
 * machine's two cores it halves Inception-v3's time (compute-bound at the FP32 FMA peak).
 */

/** The range of values a tensor took on the calibration images. */
export interface ValueRange {
  min: number;
  max: number;
}

const CONVOLUTIONS = new Set(['Conv2D', 'DepthwiseConv2D']);
/**
 * Weights use 7 bits (ONNX Runtime's reduce_range): on x86 CPUs without VNNI (AVX2 only, e.g. this
 * AMD EPYC) its uint8 × int8 kernels add pairs of products in int16 (vpmaddubsw), and 255 × 127 × 2
 * overflows it: verdicts changed on 47–60 % of images. 255 × 63 × 2 fits.
 */
const WEIGHT_LIMIT = 63;
/** Layers whose outputs stay uint8 between convolutions (ONNX Runtime drops the ReLU before a quantiser). */
const CHAIN = new Set(['ReLU', 'Concatenate', 'MaxPooling2D', 'AveragePooling2D']);

/**
 * The layers whose outputs the int8 graph carries quantised: every convolution's input, and the
 * ReLU, concatenation and pooling outputs that keep the chain integer between convolutions.
 */
function quantisedLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const names = new Set<string>();
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (CONVOLUTIONS.has(kind)) names.add(layer.inboundNodes[0]?.inboundLayers[0]?.name as string);
    const activation = (layer.getConfig() as { activation?: string }).activation;
    if (CHAIN.has(kind) || (kind === 'Activation' && activation === 'relu')) names.add(layer.name);
  }
  return model.layers.filter((layer) => names.has(layer.name));
}

/** Ranges of the quantised tensors (by ONNX name) over `inputs`, run through the tfjs model. */
export async function calibrate(
  model: tf.LayersModel,
  inputs: Float32Array[],
  shape: InputShape,
  batchSize = 8,
): Promise<Map<string, ValueRange>> {
  const layers = quantisedLayers(model);
  const probe = tf.model({
    inputs: model.inputs,
    outputs: layers.map((layer) => layer.output as tf.SymbolicTensor),
  });
  const ranges = new Map<string, ValueRange>();
  for (let start = 0; start < inputs.length; start += batchSize) {
    const batch = inputs.slice(start, start + batchSize);
    const extremes = tf.tidy(() => {
      const values = batch.flatMap((input) => Array.from(input));
      const tensor = tf.tensor4d(values, [batch.length, shape.height, shape.width, modelChannels(shape)]);
      const outputs = [probe.predict(tensor)].flat() as tf.Tensor[];
      return tf.stack(outputs.map((output) => tf.stack([output.min(), output.max()])));
    });
    const data = await extremes.data();
    extremes.dispose();
    layers.forEach((layer, index) => {
      const name = onnxTensorName(layer);
      const seen = ranges.get(name);
      const [min, max] = [data[2 * index] as number, data[2 * index + 1] as number];
      ranges.set(name, { min: Math.min(min, seen?.min ?? min), max: Math.max(max, seen?.max ?? max) });
    });
  }
  return ranges;
}

const { DataType } = onnx.TensorProto;

/** A node as decoded or built here: inputs, outputs and names always present. */
type Node = onnx.INodeProto & { input: string[]; output: string[]; name: string; opType: string };

/** The int8 QDQ version of an ONNX model made by exportToOnnx, given its tensors' ranges. */
export function quantizeOnnx(floatModel: Uint8Array, ranges: Map<string, ValueRange>): Uint8Array {
  const model = onnx.ModelProto.decode(floatModel);
  const graph = new QuantisedGraph(model.graph as onnx.GraphProto);
  graph.foldBatchNorms();
  graph.quantise(ranges);
  return onnx.ModelProto.encode(model).finish();
}

class QuantisedGraph {
  private readonly initializers: Map<string, onnx.ITensorProto>;
  /** Scale of each quantised activation, which a convolution's bias scale is built from. */
  private readonly scales = new Map<string, number>();

  private readonly graph: Omit<onnx.GraphProto, 'node'> & { node: Node[] };

  constructor(graph: onnx.GraphProto) {
    this.graph = graph as unknown as Omit<onnx.GraphProto, 'node'> & { node: Node[] };
    this.initializers = new Map(graph.initializer.map((tensor) => [tensor.name as string, tensor]));
  }

  /** Conv → (Identity) → BatchNormalization becomes one Conv with scaled weights and a bias. */
  foldBatchNorms(): void {
    const removed = new Set<Node>();
    for (const norm of this.graph.node.filter((node) => node.opType === 'BatchNormalization')) {
      let conv = this.producer(norm.input[0] as string);
      const identity = conv?.opType === 'Identity' ? conv : undefined;
      if (identity) conv = this.producer(identity.input[0] as string);
      if (!conv || conv.opType !== 'Conv' || conv.input.length > 2) continue;
      if (this.consumers(conv.output[0] as string).length !== 1) continue;
      const epsilon = norm.attribute?.find((attribute) => attribute.name === 'epsilon')?.f ?? 1e-5;
      const [gamma, beta, mean, variance] = norm.input.slice(1).map((name) => this.floats(name));
      const weights = this.floats(conv.input[1] as string);
      const channels = (gamma as Float32Array).length;
      const perChannel = weights.length / channels;
      const bias = new Float32Array(channels);
      for (let channel = 0; channel < channels; channel++) {
        const scale = (gamma?.[channel] as number) / Math.sqrt((variance?.[channel] as number) + epsilon);
        for (let index = channel * perChannel; index < (channel + 1) * perChannel; index++)
          weights[index] = (weights[index] as number) * scale;
        bias[channel] = (beta?.[channel] as number) - (mean?.[channel] as number) * scale;
      }
      this.setFloats(conv.input[1] as string, weights);
      conv.input.push(this.addInitializer(`${conv.name}_folded_bias`, DataType.FLOAT, [channels], bias));
      conv.output[0] = norm.output[0] as string;
      removed.add(norm);
      if (identity) removed.add(identity);
    }
    this.graph.node = this.graph.node.filter((node) => !removed.has(node));
  }

  /** Quantise/dequantise pairs after each ranged tensor; int8 weights and int32 biases for every convolution fed by one. */
  quantise(ranges: Map<string, ValueRange>): void {
    const added: Node[] = [];
    for (const [tensor, range] of ranges) {
      if (!this.producer(tensor) && !this.graph.input.some((input) => input.name === tensor)) continue;
      const { scale, zeroPoint } = uint8Parameters(range);
      this.scales.set(tensor, scale);
      const scaleName = this.addInitializer(`${tensor}_scale`, DataType.FLOAT, [], [scale]);
      const zeroName = this.addInitializer(`${tensor}_zero_point`, DataType.UINT8, [], [zeroPoint]);
      for (const consumer of this.consumers(tensor))
        consumer.input = consumer.input.map((input) => (input === tensor ? `${tensor}_dequantized` : input));
      added.push(
        {
          opType: 'QuantizeLinear',
          name: `${tensor}_quantize`,
          input: [tensor, scaleName, zeroName],
          output: [`${tensor}_quantized`],
        },
        {
          opType: 'DequantizeLinear',
          name: `${tensor}_dequantize`,
          input: [`${tensor}_quantized`, scaleName, zeroName],
          output: [`${tensor}_dequantized`],
        },
      );
    }
    for (const conv of this.graph.node.filter((node) => node.opType === 'Conv')) {
      const source = (conv.input[0] as string).replace(/_dequantized$/, '');
      const inputScale = this.scales.get(source);
      if (inputScale !== undefined && conv.input[0] !== source)
        added.push(...this.quantiseConv(conv, inputScale));
    }
    this.graph.node = topologicalOrder(
      [...this.graph.node, ...added],
      [...this.graph.input.map((input) => input.name as string), ...this.initializers.keys()],
    );
    const used = new Set(this.graph.node.flatMap((node) => node.input));
    this.graph.initializer = [...this.initializers.values()].filter((tensor) =>
      used.has(tensor.name as string),
    );
  }

  /**
   * int8 weights (symmetric, per output channel, within ±WEIGHT_LIMIT) and an int32 bias at input
   * scale × weight scale.
   */
  private quantiseConv(conv: Node, inputScale: number): Node[] {
    const weightName = conv.input[1] as string;
    const weights = this.floats(weightName);
    const dims = this.dims(weightName);
    const channels = dims[0] as number;
    const perChannel = weights.length / channels;
    const scales = new Float32Array(channels);
    const quantised = new Int32Array(weights.length);
    for (let channel = 0; channel < channels; channel++) {
      let largest = 0;
      for (let index = 0; index < perChannel; index++)
        largest = Math.max(largest, Math.abs(weights[channel * perChannel + index] as number));
      const scale = largest > 0 ? largest / WEIGHT_LIMIT : 1;
      scales[channel] = scale;
      for (let index = 0; index < perChannel; index++) {
        const value = Math.round((weights[channel * perChannel + index] as number) / scale);
        quantised[channel * perChannel + index] = Math.max(-WEIGHT_LIMIT, Math.min(WEIGHT_LIMIT, value));
      }
    }
    const nodes = [this.dequantised(weightName, DataType.INT8, dims, quantised, scales)];
    conv.input[1] = `${weightName}_dequantized`;
    const biasName = conv.input[2];
    if (biasName) {
      const biasScales = scales.map((scale) => scale * inputScale);
      const bias = this.floats(biasName).map((value, channel) => value / (biasScales[channel] as number));
      nodes.push(
        this.dequantised(biasName, DataType.INT32, [channels], Int32Array.from(bias, Math.round), biasScales),
      );
      conv.input[2] = `${biasName}_dequantized`;
    }
    return nodes;
  }

  /** An integer initializer and the per-channel DequantizeLinear that turns it back into `${name}_dequantized`. */
  private dequantised(
    name: string,
    type: onnx.TensorProto.DataType,
    dims: number[],
    values: Int32Array,
    scales: Float32Array,
  ): Node {
    const inputs = [
      this.addInitializer(`${name}_quantized`, type, dims, values),
      this.addInitializer(`${name}_scale`, DataType.FLOAT, [scales.length], scales),
      this.addInitializer(`${name}_zero_point`, type, [scales.length], new Int32Array(scales.length)),
    ];
    return {
      opType: 'DequantizeLinear',
      name: `${name}_dequantize`,
      input: inputs,
      output: [`${name}_dequantized`],
      attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
    };
  }

  private producer(tensor: string): Node | undefined {
    return this.graph.node.find((node) => node.output.includes(tensor));
  }

  private consumers(tensor: string): Node[] {
    return this.graph.node.filter((node) => node.input.includes(tensor));
  }

  private dims(name: string): number[] {
    return (this.initializers.get(name)?.dims ?? []).map(Number);
  }

  private floats(name: string): Float32Array {
    const tensor = this.initializers.get(name);
    if (!tensor) throw new Error(`no initializer ${name}`);
    if (tensor.floatData?.length) return Float32Array.from(tensor.floatData);
    const raw = tensor.rawData as Uint8Array;
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  }

  private setFloats(name: string, values: Float32Array): void {
    const tensor = this.initializers.get(name) as onnx.ITensorProto;
    tensor.floatData = [];
    tensor.rawData = rawBytes(DataType.FLOAT, values);
  }

  private addInitializer(
    name: string,
    dataType: onnx.TensorProto.DataType,
    dims: number[],
    values: ArrayLike<number>,
  ): string {
    this.initializers.set(name, { name, dataType, dims, rawData: rawBytes(dataType, values) });
    return name;
  }
}

/** Little-endian bytes of `values` as ONNX raw_data of `dataType` (FLOAT, INT32, INT8 or UINT8). */
function rawBytes(dataType: onnx.TensorProto.DataType, values: ArrayLike<number>): Uint8Array {
  switch (dataType) {
    case DataType.FLOAT:
      return new Uint8Array(Float32Array.from(values).buffer);
    case DataType.INT32:
      return new Uint8Array(Int32Array.from(values).buffer);
    case DataType.INT8:
      return new Uint8Array(Int8Array.from(values).buffer);
    case DataType.UINT8:
      return Uint8Array.from(values);
    default:
      throw new Error(`no raw encoding for ONNX data type ${dataType}`);
  }
}

/** Asymmetric uint8 parameters for a range widened to include zero (so zero is exact). */
function uint8Parameters({ min, max }: ValueRange): { scale: number; zeroPoint: number } {
  const low = Math.min(min, 0);
  const high = Math.max(max, 0);
  const scale = high > low ? (high - low) / 255 : 1;
  return { scale, zeroPoint: Math.max(0, Math.min(255, Math.round(-low / scale))) };
}

/** Nodes in an order where every input is produced before it is used. */
function topologicalOrder(nodes: Node[], available: string[]): Node[] {
  const produced = new Set(available);
  const ordered: Node[] = [];
  let pending = nodes;
  while (pending.length > 0) {
    const waiting = pending.filter((node) => !node.input.every((input) => !input || produced.has(input)));
    const ready = pending.filter((node) => !waiting.includes(node));
    if (ready.length === 0) throw new Error(`the graph has a cycle at ${waiting[0]?.name}`);
    for (const node of ready) {
      ordered.push(node);
      node.output.forEach((output) => produced.add(output));
    }
    pending = waiting;
  }
  return ordered;
}
