import type * as tf from '@tensorflow/tfjs';
import type { InputShape } from '../preprocessing/image-input';
import { argMax } from '../validation/validation-report';
import { OnnxClassifier } from './onnx-classifier';
import { exportToOnnx } from './onnx-export';
import { calibrate, quantizeOnnx } from './onnx-quantize';

export type Precision = 'float32' | 'int8';

/** How the int8 model compared with the float32 one on images it was not calibrated on. */
export interface Int8Comparison {
  images: number;
  /** Fraction of those images given the same verdict. */
  verdictAgreement: number;
  maxProbabilityDifference: number;
  /** ONNX Runtime on the machine that made the comparison, in batches of `batch`. */
  msPerImage: Record<Precision, number>;
  batch: number;
}

/** The ONNX models of one trained model, and which of them the classifier serves. */
export interface OnnxExports {
  float32: Uint8Array;
  /** Null where quantisation failed (`reason` says why). */
  int8: Uint8Array | null;
  comparison: Int8Comparison | null;
  serving: Precision;
  /** Why float32 is served, in words; null when int8 is. */
  reason: string | null;
}

/** Images calibration runs through the tfjs model at most (Inception-v3 takes about 0.5 s each on a CPU). */
const CALIBRATION_IMAGES = 64;
/** int8 is served only when it is at least this much faster: a tie is not worth any change of verdicts. */
const REQUIRED_SPEED_UP = 1.1;
/** The classifier's usual batch. */
const CHECK_BATCH = 32;

/**
 * Exports `model` to ONNX in float32 and in int8 (calibrated on up to 64 of `images.calibration`,
 * spread over them), runs both on
 * `images.check` and serves int8 only where it gives every check image the float model's verdict and
 * is faster: on small models the quantise/dequantise steps cost more than the integer kernels save.
 */
export async function exportForServing(
  model: tf.LayersModel,
  input: InputShape,
  images: { calibration: Float32Array[]; check: Float32Array[] },
): Promise<OnnxExports> {
  const float32 = await exportToOnnx(model);
  let int8: Uint8Array;
  try {
    const step = Math.max(1, images.calibration.length / CALIBRATION_IMAGES);
    const calibration = Array.from(
      { length: Math.min(CALIBRATION_IMAGES, images.calibration.length) },
      (_, index) => images.calibration[Math.floor(index * step)] as Float32Array,
    );
    int8 = quantizeOnnx(float32, await calibrate(model, calibration, input));
  } catch (error) {
    const reason = `int8 quantisation failed: ${(error as Error).message}`;
    return { float32, int8: null, comparison: null, serving: 'float32', reason };
  }
  const floatRun = await timedPredictions(float32, input, images.check);
  const int8Run = await timedPredictions(int8, input, images.check);
  const comparison = compare(floatRun, int8Run);
  const reason = servingReason(comparison);
  return { float32, int8, comparison, serving: reason ? 'float32' : 'int8', reason };
}

/** Null when int8 may be served, else why not. */
export function servingReason(comparison: Int8Comparison): string | null {
  if (comparison.images === 0) return 'no images to compare int8 with float32 on';
  if (comparison.verdictAgreement < 1)
    return `int8 changes the verdict on ${Math.round((1 - comparison.verdictAgreement) * comparison.images)} of ${comparison.images} images`;
  const { float32, int8 } = comparison.msPerImage;
  if (int8 * REQUIRED_SPEED_UP > float32)
    return `int8 is not faster (${int8.toFixed(3)} ms against ${float32.toFixed(3)} ms per image)`;
  return null;
}

interface TimedPredictions {
  probabilities: number[][];
  msPerImage: number;
}

/** Predictions in the classifier's batches, timed on a second pass (the first sizes every buffer). */
async function timedPredictions(
  onnx: Uint8Array,
  input: InputShape,
  inputs: Float32Array[],
): Promise<TimedPredictions> {
  const classifier = await OnnxClassifier.load(onnx, input);
  const pass = async () => {
    const probabilities: number[][] = [];
    for (let start = 0; start < inputs.length; start += CHECK_BATCH)
      probabilities.push(...(await classifier.predict(inputs.slice(start, start + CHECK_BATCH))));
    return probabilities;
  };
  try {
    await pass();
    const started = performance.now();
    const probabilities = await pass();
    return { probabilities, msPerImage: (performance.now() - started) / Math.max(1, inputs.length) };
  } finally {
    await classifier.dispose();
  }
}

function compare(float: TimedPredictions, int8: TimedPredictions): Int8Comparison {
  let agreeing = 0;
  let maxProbabilityDifference = 0;
  float.probabilities.forEach((row, index) => {
    const other = int8.probabilities[index] as number[];
    if (argMax(row) === argMax(other)) agreeing += 1;
    row.forEach((value, column) => {
      maxProbabilityDifference = Math.max(
        maxProbabilityDifference,
        Math.abs(value - (other[column] as number)),
      );
    });
  });
  const images = float.probabilities.length;
  return {
    images,
    verdictAgreement: images === 0 ? 0 : agreeing / images,
    maxProbabilityDifference,
    msPerImage: { float32: float.msPerImage, int8: int8.msPerImage },
    batch: CHECK_BATCH,
  };
}
