import { argMax, assertPredictions } from './predictions';

/** One equal-width confidence bin of a reliability diagram. */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean confidence (top probability) of the verdicts in the bin; 0 when empty. */
  meanConfidence: number;
  /** Share of those verdicts that were right; 0 when empty. */
  accuracy: number;
}

/** Expected calibration error and the bins behind it (enough to draw a reliability diagram). */
export interface CalibrationSummary {
  ece: number;
  bins: CalibrationBin[];
}

/** A temperature fitted on the validation split and the calibration error it leaves on the test split. */
export interface TemperatureScaling {
  temperature: number;
  before: CalibrationSummary;
  after: CalibrationSummary;
}

/** Model outputs: class probabilities (softmax output, the default) or logits. */
export interface OutputKind {
  logits?: boolean;
}

/** The range a temperature is searched in: beyond it the fit only chases perfectly separated data. */
export const TEMPERATURE_RANGE = { min: 0.05, max: 20 } as const;

// log(0) would make one sure-but-wrong verdict an infinite loss; this floor keeps it finite.
const PROBABILITY_FLOOR = 1e-12;

/**
 * ECE: over equal-width bins of the top probability, the count-weighted gap between mean
 * confidence and accuracy. 0 for no predictions.
 */
export function expectedCalibrationError(
  probabilities: number[][],
  truth: number[],
  bins = 15,
): CalibrationSummary {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a positive integer (got ${bins})`);
  assertPredictions(truth, probabilities);
  const sums = Array.from({ length: bins }, () => ({ count: 0, confidence: 0, correct: 0 }));
  truth.forEach((actual, index) => {
    const row = probabilities[index] as number[];
    const predicted = argMax(row);
    const confidence = row[predicted] as number;
    const sum = sums[Math.max(0, Math.min(bins - 1, Math.floor(confidence * bins)))] as (typeof sums)[number];
    sum.count++;
    sum.confidence += confidence;
    if (predicted === actual) sum.correct++;
  });
  const total = truth.length;
  const summaryBins = sums.map(({ count, confidence, correct }, bin) => ({
    lower: bin / bins,
    upper: (bin + 1) / bins,
    count,
    meanConfidence: count ? confidence / count : 0,
    accuracy: count ? correct / count : 0,
  }));
  return {
    ece: summaryBins.reduce(
      (ece, bin) => ece + (total ? (bin.count / total) * Math.abs(bin.accuracy - bin.meanConfidence) : 0),
      0,
    ),
    bins: summaryBins,
  };
}

/**
 * Temperature scaling (Guo et al. 2017): the T minimising the negative log-likelihood of
 * softmax(logits / T) on the given (validation) predictions. From probabilities, log-probabilities
 * serve as logits. T > 1 softens an over-confident model, T < 1 sharpens an under-confident one;
 * the verdicts (argmax) never change. Golden-section search on log T, where the loss is unimodal
 * (it is convex in 1/T), within TEMPERATURE_RANGE; 1 when there is nothing to fit or nothing gained.
 * Without a single wrong verdict the loss falls all the way to the smallest T: that would only
 * sharpen the model as far as the range allows, so such predictions keep T = 1.
 */
export function fitTemperature(outputs: number[][], truth: number[], kind: OutputKind = {}): number {
  assertPredictions(truth, outputs, { probabilities: !kind.logits });
  if (truth.every((actual, index) => argMax(outputs[index] as number[]) === actual)) return 1;
  const logits = outputs.map((row) => toLogits(row, kind));
  const loss = (temperature: number) =>
    logits.reduce((sum, row, index) => {
      const scaled = row.map((logit) => logit / temperature);
      return sum + logSumExp(scaled) - (scaled[truth[index] as number] as number);
    }, 0) / logits.length;
  const ratio = (Math.sqrt(5) - 1) / 2;
  let low = Math.log(TEMPERATURE_RANGE.min);
  let high = Math.log(TEMPERATURE_RANGE.max);
  let left = high - ratio * (high - low);
  let right = low + ratio * (high - low);
  let leftLoss = loss(Math.exp(left));
  let rightLoss = loss(Math.exp(right));
  while (high - low > 1e-6) {
    if (leftLoss <= rightLoss) {
      high = right;
      right = left;
      rightLoss = leftLoss;
      left = high - ratio * (high - low);
      leftLoss = loss(Math.exp(left));
    } else {
      low = left;
      left = right;
      leftLoss = rightLoss;
      right = low + ratio * (high - low);
      rightLoss = loss(Math.exp(right));
    }
  }
  const temperature = Math.exp((low + high) / 2);
  // On a flat loss (every verdict already certain and right) keep the model as it is.
  return loss(1) <= loss(temperature) + 1e-9 ? 1 : temperature;
}

/** The probabilities softmax(logits / T), row by row. */
export function applyTemperature(
  outputs: number[][],
  temperature: number,
  kind: OutputKind = {},
): number[][] {
  if (!(temperature > 0) || !Number.isFinite(temperature))
    throw new RangeError(`a temperature must be a positive number (got ${temperature})`);
  return outputs.map((row) => {
    const scaled = toLogits(row, kind).map((logit) => logit / temperature);
    const top = Math.max(...scaled);
    const exponentials = scaled.map((logit) => Math.exp(logit - top));
    const total = exponentials.reduce((sum, value) => sum + value, 0);
    return exponentials.map((value) => value / total);
  });
}

/**
 * Fits T on the validation split and measures ECE on the test split before and after applying it,
 * so the improvement is judged on images the fit never saw.
 */
export function temperatureScaling(
  validation: { truth: number[]; outputs: number[][] },
  test: { truth: number[]; outputs: number[][] },
  options: OutputKind & { bins?: number } = {},
): TemperatureScaling {
  const temperature = fitTemperature(validation.outputs, validation.truth, options);
  const before = options.logits ? applyTemperature(test.outputs, 1, options) : test.outputs;
  return {
    temperature,
    before: expectedCalibrationError(before, test.truth, options.bins),
    after: expectedCalibrationError(
      applyTemperature(test.outputs, temperature, options),
      test.truth,
      options.bins,
    ),
  };
}

function toLogits(row: number[], kind: OutputKind): number[] {
  return kind.logits ? row : row.map((probability) => Math.log(Math.max(probability, PROBABILITY_FLOOR)));
}

function logSumExp(values: number[]): number {
  const top = Math.max(...values);
  return top + Math.log(values.reduce((sum, value) => sum + Math.exp(value - top), 0));
}
