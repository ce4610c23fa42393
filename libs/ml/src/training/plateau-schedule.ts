import type * as tf from '@tensorflow/tfjs';

/** Learning-rate decay on a plateau: `factor` × the rate after `patience` epochs without a better validation loss. */
export interface PlateauDecay {
  factor: number;
  patience: number;
  /** The rate never goes below this. Default: a hundredth of the first one. */
  minLearningRate?: number;
}

/**
 * Keras's ReduceLROnPlateau: small plots separate in a few epochs at a high rate, then the last
 * subtle cases (a 1σ shift) need smaller steps than the rate that found the rest. "Better" is by
 * more than `minDelta`, as for early stopping, so the two count the same epochs.
 */
export class PlateauSchedule {
  private best = Number.POSITIVE_INFINITY;
  private waited = 0;
  private rate: number;
  private readonly floor: number;

  constructor(
    initialLearningRate: number,
    private readonly decay: PlateauDecay,
    private readonly minDelta = 0,
  ) {
    this.rate = initialLearningRate;
    this.floor = decay.minLearningRate ?? initialLearningRate / 100;
  }

  get learningRate(): number {
    return this.rate;
  }

  /** Takes an epoch's validation loss; returns the rate for the next epoch. */
  next(validationLoss: number): number {
    if (validationLoss < this.best - this.minDelta) {
      this.best = validationLoss;
      this.waited = 0;
    } else if (++this.waited >= this.decay.patience) {
      this.rate = Math.max(this.floor, this.rate * this.decay.factor);
      this.waited = 0;
    }
    return this.rate;
  }
}

/**
 * Sets the rate of a tfjs optimizer as it trains: SGD and momentum have a setter (their scalar is
 * cached); Adam reads its numeric field at every step and has none.
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const settable = optimizer as unknown as { setLearningRate?: (rate: number) => void; learningRate: number };
  if (settable.setLearningRate) settable.setLearningRate(learningRate);
  else settable.learningRate = learningRate;
}
