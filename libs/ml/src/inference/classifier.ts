import * as tf from '@tensorflow/tfjs';
import type { LoadedModel } from '../artifacts/model-artifacts';
import type { InputShape } from '../preprocessing/image-input';
import { OnnxClassifier } from './onnx-classifier';

/** Class probabilities for model inputs, whichever engine computes them. */
export interface Classifier {
  readonly engine: 'onnx' | 'tfjs';
  predict(inputs: Float32Array[]): Promise<number[][]>;
  dispose(): Promise<void>;
}

/** The tfjs model itself: slower, but it runs wherever TensorFlow.js does. */
export class TfjsClassifier implements Classifier {
  readonly engine = 'tfjs' as const;

  constructor(
    private readonly model: tf.LayersModel,
    private readonly input: InputShape,
  ) {}

  async predict(inputs: Float32Array[]): Promise<number[][]> {
    if (inputs.length === 0) return [];
    const { height, width, channels } = this.input;
    const batch = new Float32Array(inputs.length * height * width * channels);
    inputs.forEach((input, index) => batch.set(input, index * height * width * channels));
    const output = tf.tidy(
      () => this.model.predict(tf.tensor4d(batch, [inputs.length, height, width, channels])) as tf.Tensor,
    );
    const rows = (await output.array()) as number[][];
    output.dispose();
    return rows;
  }

  async dispose(): Promise<void> {
    this.model.dispose();
  }
}

/**
 * ONNX Runtime when the model's ONNX export loads, else the tfjs model; `onFallback` hears why, so
 * the caller can log it (a slower classifier is worth knowing about).
 */
export async function createClassifier(
  loaded: LoadedModel,
  onFallback?: (reason: string) => void,
): Promise<Classifier> {
  try {
    const onnx = await OnnxClassifier.load(loaded.onnx, loaded.manifest.input);
    loaded.model.dispose();
    return onnx;
  } catch (error) {
    onFallback?.(`ONNX Runtime could not load the model (${(error as Error).message}); using tfjs`);
    return new TfjsClassifier(loaded.model, loaded.manifest.input);
  }
}
