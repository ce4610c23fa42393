import * as tf from '@tensorflow/tfjs';
import { blankInput, type InputShape } from '../preprocessing/image-input';

/** trainModel's augmentation settings (TrainingOptions.augmentation). */
export interface AugmentationSettings {
  /** Shifts each batch by up to this many input pixels. */
  maxShift: number;
  /** Only where a plot type allows it. */
  flipHorizontal?: boolean;
  /** Scales each image's ink by up to ±ink (jitterInk). */
  ink?: number;
}

/**
 * Augmentation that keeps a plot a plot: ink jitter (lighter or darker, never another hue), a small
 * shift of the whole batch (the margin blank like the canvas), only where configured a horizontal
 * flip. `input` says which channels are a median residual (blank 0, not white).
 */
export function augmentation(
  settings: AugmentationSettings | undefined,
  input: InputShape | undefined,
  random: () => number,
): (batch: tf.Tensor4D) => tf.Tensor4D {
  if (!settings || (settings.maxShift <= 0 && !settings.flipHorizontal && !settings.ink))
    return (batch) => batch;
  const blank = input ? blankInput(input) : undefined;
  return (unjittered) => {
    const batch = settings.ink ? jitterInk(unjittered, settings.ink, random, blank) : unjittered;
    const shift = settings.maxShift;
    const shifted = shiftBatch(
      batch,
      Math.floor(random() * (2 * shift + 1)) - shift,
      Math.floor(random() * (2 * shift + 1)) - shift,
      blank,
    );
    return settings.flipHorizontal && random() < 0.5 ? (tf.reverse(shifted, 2) as tf.Tensor4D) : shifted;
  };
}

/**
 * The batch moved down by `dy` and right by `dx` pixels (negative: up, left); the uncovered margin
 * takes each channel's `blank` value (white where none is given).
 */
export function shiftBatch(
  batch: tf.Tensor4D,
  dy: number,
  dx: number,
  blank?: readonly number[],
): tf.Tensor4D {
  if (dy === 0 && dx === 0) return batch;
  return tf.tidy(() => {
    const [count, height, width, channels] = batch.shape;
    const [y, x] = [Math.abs(dy), Math.abs(dx)];
    const margins: [number, number][] = [
      [0, 0],
      [y, y],
      [x, x],
      [0, 0],
    ];
    const padded: tf.Tensor4D = blank
      ? tf.pad(batch.sub<tf.Tensor4D>(tf.tensor1d([...blank])), margins).add(tf.tensor1d([...blank]))
      : tf.pad(batch, margins, 1);
    return padded.slice([0, y - dy, x - dx, 0], [count, height, width, channels]);
  });
}

/**
 * Scales each image's ink (its distance from white) by its own factor in [1 − amount, 1 + amount]:
 * a lighter or darker drawing of the same plot, as another renderer, palette or line width would
 * give. White stays white and nothing moves, so no fault (a shifted peak, a dead channel) can be
 * erased; hues stay in their order. `blank` gives each channel's white (blankInput): a median
 * residual's is 0, so it scales by the same factor, as the residual of the jittered image would
 * (but where the image's ink was clipped at black).
 */
export function jitterInk(
  batch: tf.Tensor4D,
  amount: number,
  random: () => number,
  blank?: readonly number[],
): tf.Tensor4D {
  return tf.tidy(() => {
    const [count, , , channels] = batch.shape;
    const factors = tf.tensor4d(
      Array.from({ length: count }, () => 1 + amount * (2 * random() - 1)),
      [count, 1, 1, 1],
    );
    const whites = blank ? [...blank] : new Array<number>(channels).fill(1);
    const white = tf.tensor1d(whites);
    const jittered = white.sub(white.sub(batch).mul(factors));
    // The image's channels stay in [0, 1]; a residual's values are signed and unbounded.
    const low = tf.tensor1d(whites.map((value) => (value === 1 ? 0 : -Infinity)));
    const high = tf.tensor1d(whites.map((value) => (value === 1 ? 1 : Infinity)));
    return tf.minimum(tf.maximum(jittered, low), high) as tf.Tensor4D;
  });
}
