/** Per-class quality on a held-out set. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** The numbers a candidate model is judged by (Hydra's training report). */
export interface ValidationReport {
  labels: string[];
  count: number;
  accuracy: number;
  macroF1: number;
  perClass: ClassMetrics[];
  /** confusion[true][predicted] */
  confusion: number[][];
  /** Hydra's enhanced confusion matrix: per cell, how many verdicts fell in each confidence bin. */
  confidenceHistograms: number[][][];
  /** Expected calibration error over equal-width confidence bins, and the bins behind it. */
  calibration: {
    ece: number;
    bins: { lower: number; upper: number; count: number; meanConfidence: number; accuracy: number }[];
  };
}

export function argMax(values: number[]): number {
  let best = 0;
  for (let index = 1; index < values.length; index++)
    if ((values[index] as number) > (values[best] as number)) best = index;
  return best;
}

/** Everything in the report from expert labels (class indices) and the model's probabilities. */
export function validationReport(
  labels: string[],
  truth: number[],
  probabilities: number[][],
  bins = 10,
): ValidationReport {
  const classes = labels.length;
  const confusion = labels.map(() => new Array<number>(classes).fill(0));
  const confidenceHistograms = labels.map(() => labels.map(() => new Array<number>(bins).fill(0)));
  const calibrationBins = Array.from({ length: bins }, (_, bin) => ({
    lower: bin / bins,
    upper: (bin + 1) / bins,
    count: 0,
    confidenceSum: 0,
    correct: 0,
  }));
  truth.forEach((actual, index) => {
    const row = probabilities[index] as number[];
    const predicted = argMax(row);
    const confidence = row[predicted] as number;
    const bin = Math.min(bins - 1, Math.floor(confidence * bins));
    const confusionRow = confusion[actual] as number[];
    confusionRow[predicted] = (confusionRow[predicted] as number) + 1;
    const histogram = (confidenceHistograms[actual] as number[][])[predicted] as number[];
    histogram[bin] = (histogram[bin] as number) + 1;
    const calibration = calibrationBins[bin] as (typeof calibrationBins)[number];
    calibration.count++;
    calibration.confidenceSum += confidence;
    if (predicted === actual) calibration.correct++;
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
    macroF1: present.length
      ? present.reduce((sum, metrics) => sum + metrics.f1, 0) / present.length
      : Number.NaN,
    perClass,
    confusion,
    confidenceHistograms,
    calibration: {
      ece: calibrationBins.reduce(
        (sum, bin) =>
          sum +
          (bin.count
            ? (bin.count / count) * Math.abs(bin.correct / bin.count - bin.confidenceSum / bin.count)
            : 0),
        0,
      ),
      bins: calibrationBins.map(({ lower, upper, count: binCount, confidenceSum, correct: binCorrect }) => ({
        lower,
        upper,
        count: binCount,
        meanConfidence: binCount ? confidenceSum / binCount : 0,
        accuracy: binCount ? binCorrect / binCount : 0,
      })),
    },
  };
}

function classMetrics(label: string, confusion: number[][], index: number): ClassMetrics {
  const truePositives = (confusion[index] as number[])[index] as number;
  const support = (confusion[index] as number[]).reduce((sum, value) => sum + value, 0);
  const predicted = confusion.reduce((sum, row) => sum + (row[index] as number), 0);
  return f1Metrics(label, truePositives, predicted, support);
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
