import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InferenceSession, listSupportedBackends, Tensor } from 'onnxruntime-node';
import { type InputShape, modelChannels } from '../preprocessing/image-input';
import type { Precision } from './serving-exports';

/** Batched inference on ONNX Runtime: the CUDA execution provider where present, else the CPU. */
export class OnnxClassifier {
  private constructor(
    readonly engine: 'onnx' | 'onnx-int8',
    private readonly session: InferenceSession,
    readonly input: InputShape,
    readonly executionProvider: string,
  ) {}

  static async load(
    model: Uint8Array,
    input: InputShape,
    options: { threads?: number; precision?: Precision } = {},
  ): Promise<OnnxClassifier> {
    const executionProviders = cudaInstalled() ? ['cuda', 'cpu'] : ['cpu'];
    const session = await InferenceSession.create(model, {
      executionProviders,
      intraOpNumThreads: options.threads ?? 0,
      graphOptimizationLevel: 'all',
    });
    return new OnnxClassifier(
      options.precision === 'int8' ? 'onnx-int8' : 'onnx',
      session,
      input,
      executionProviders[0] as string,
    );
  }

  /** Class probabilities for each input (as made by imageToInput). */
  async predict(inputs: Float32Array[]): Promise<number[][]> {
    if (inputs.length === 0) return [];
    const { height, width } = this.input;
    const channels = modelChannels(this.input);
    const size = height * width * channels;
    const batch = new Float32Array(inputs.length * size);
    inputs.forEach((input, index) => {
      if (input.length !== size)
        throw new Error(`input ${index} has ${input.length} values, expected ${size}`);
      batch.set(input, index * size);
    });
    const feeds = {
      [this.session.inputNames[0] as string]: new Tensor('float32', batch, [
        inputs.length,
        height,
        width,
        channels,
      ]),
    };
    const results = await this.session.run(feeds);
    const output = results[this.session.outputNames[0] as string] as Tensor;
    const values = output.data as Float32Array;
    const classes = values.length / inputs.length;
    return inputs.map((_, index) => Array.from(values.subarray(index * classes, (index + 1) * classes)));
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/**
 * The binding always lists CUDA; its provider library is there only where the package's
 * postinstall could fetch it (a GPU node built with internet access).
 */
function cudaInstalled(): boolean {
  if (process.platform !== 'linux' || !listSupportedBackends().some((backend) => backend.name === 'cuda'))
    return false;
  const root = dirname(require.resolve('onnxruntime-node/package.json'));
  return existsSync(join(root, 'bin', 'napi-v6', 'linux', process.arch, 'libonnxruntime_providers_cuda.so'));
}
