import * as tf from '@tensorflow/tfjs';
import type { LoadedModel } from '../artifacts/model-artifacts';
import { type InputShape, modelChannels } from '../preprocessing/image-input';
import { applyTemperature } from '../validation/calibration';
import { OnnxClassifier } from './onnx-classifier';
import type { Precision } from './serving-exports';

/** Class probabilities for model inputs, whichever engine computes them. */
export interface Classifier {
  readonly engine: 'onnx' | 'onnx-int8' | 'tfjs';
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
    const { height, width } = this.input;
    const channels = modelChannels(this.input);
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

/** Another classifier's probabilities at a temperature: the calibrated ones the thresholds were chosen on. */
export class CalibratedClassifier implements Classifier {
  constructor(
    private readonly classifier: Classifier,
    readonly temperature: number,
  ) {}

  get engine(): Classifier['engine'] {
    return this.classifier.engine;
  }

  async predict(inputs: Float32Array[]): Promise<number[][]> {
    return applyTemperature(await this.classifier.predict(inputs), this.temperature);
  }

  dispose(): Promise<void> {
    return this.classifier.dispose();
  }
}

export interface ClassifierChoice {
  /** `auto`: the precision the manifest says to serve. */
  precision?: 'auto' | Precision;
  /** Hears why a slower or other classifier than asked for is used, so the caller can log it. */
  onFallback?: (reason: string) => void;
}

/**
 * ONNX Runtime in the chosen precision; float32 ONNX when there is no int8 model or it does not
 * load; the tfjs model when no ONNX model loads. Probabilities come at the manifest's temperature.
 */
export async function createClassifier(
  loaded: LoadedModel,
  choice: ClassifierChoice = {},
): Promise<Classifier> {
  const classifier = await engineFor(loaded, choice);
  const { temperature = 1 } = loaded.manifest;
  return temperature === 1 ? classifier : new CalibratedClassifier(classifier, temperature);
}

async function engineFor(
  loaded: LoadedModel,
  { precision = 'auto', onFallback }: ClassifierChoice,
): Promise<Classifier> {
  const wanted = precision === 'auto' ? loaded.manifest.serving : precision;
  const { input } = loaded.manifest;
  if (wanted === 'int8') {
    if (!loaded.onnxInt8) onFallback?.('the model has no int8 ONNX export; using float32');
    else {
      try {
        const int8 = await OnnxClassifier.load(loaded.onnxInt8, input, { precision: 'int8' });
        loaded.model.dispose();
        return int8;
      } catch (error) {
        onFallback?.(
          `ONNX Runtime could not load the int8 model (${(error as Error).message}); using float32`,
        );
      }
    }
  }
  try {
    const onnx = await OnnxClassifier.load(loaded.onnx, input);
    loaded.model.dispose();
    return onnx;
  } catch (error) {
    onFallback?.(`ONNX Runtime could not load the model (${(error as Error).message}); using tfjs`);
    return new TfjsClassifier(loaded.model, input);
  }
}
