import { type CalibrationSummary, expectedCalibrationError, type TemperatureScaling } from './calibration';
import { type ProportionInterval, wilsonInterval } from './intervals';
import { argMax, assertPredictions } from './predictions';

export { argMax, assertPredictions } from './predictions';

/** Per-class quality on a held-out set. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  /** 95 % Wilson interval of precision, over the verdicts of this class (absent in older reports). */
  precisionInterval?: ProportionInterval;
  /** 95 % Wilson interval of recall, over the `support` test images of this class. */
  recallInterval?: ProportionInterval;
}

/** The numbers a candidate model is judged by (Hydra's training report). */
export interface ValidationReport {
  labels: string[];
  count: number;
  accuracy: number;
  /** 95 % Wilson interval of accuracy over the `count` test images (absent in older reports). */
  accuracyInterval?: ProportionInterval;
  macroF1: number;
  perClass: ClassMetrics[];
  /** confusion[true][predicted] */
  confusion: number[][];
  /** Hydra's enhanced confusion matrix: per cell, how many verdicts fell in each confidence bin. */
  confidenceHistograms: number[][][];
  /** Expected calibration error over equal-width confidence bins, and the bins behind it. */
  calibration: CalibrationSummary;
  /** Calibration error before and after a temperature fitted on the validation split, when one was fitted. */
  temperatureScaling?: TemperatureScaling;
}

/** Everything in the report from expert labels (class indices) and the model's probabilities. */
export function validationReport(
  labels: string[],
  truth: number[],
  probabilities: number[][],
  bins = 10,
): ValidationReport {
  assertPredictions(truth, probabilities, { classes: labels.length });
  const confusion = labels.map(() => new Array<number>(labels.length).fill(0));
  const confidenceHistograms = labels.map(() => labels.map(() => new Array<number>(bins).fill(0)));
  truth.forEach((actual, index) => {
    const row = probabilities[index] as number[];
    const predicted = argMax(row);
    const bin = Math.min(bins - 1, Math.floor((row[predicted] as number) * bins));
    const confusionRow = confusion[actual] as number[];
    confusionRow[predicted] = (confusionRow[predicted] as number) + 1;
    const histogram = (confidenceHistograms[actual] as number[][])[predicted] as number[];
    histogram[bin] = (histogram[bin] as number) + 1;
  });
  const perClass = labels.map((label, index) => classMetrics(label, confusion, index));
  const correct = labels.reduce(
    (sum, _, index) => sum + ((confusion[index] as number[])[index] as number),
    0,
  );
  const present = perClass.filter((metrics) => metrics.support > 0);
  const count = truth.length;
  return {
    labels,
    count,
    accuracy: count ? correct / count : Number.NaN,
    accuracyInterval: wilsonInterval(correct, count),
    macroF1: present.length
      ? present.reduce((sum, metrics) => sum + metrics.f1, 0) / present.length
      : Number.NaN,
    perClass,
    confusion,
    confidenceHistograms,
    calibration: expectedCalibrationError(probabilities, truth, bins),
  };
}

function classMetrics(label: string, confusion: number[][], index: number): ClassMetrics {
  const truePositives = (confusion[index] as number[])[index] as number;
  const support = (confusion[index] as number[]).reduce((sum, value) => sum + value, 0);
  const predicted = confusion.reduce((sum, row) => sum + (row[index] as number), 0);
  return {
    ...f1Metrics(label, truePositives, predicted, support),
    precisionInterval: wilsonInterval(truePositives, predicted),
    recallInterval: wilsonInterval(truePositives, support),
  };
}

export function f1Metrics(
  label: string,
  truePositives: number,
  predicted: number,
  support: number,
): ClassMetrics {
  const precision = predicted ? truePositives / predicted : 0;
  const recall = support ? truePositives / support : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { label, precision, recall, f1, support };
}
