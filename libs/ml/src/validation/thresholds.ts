import { argMax, f1Metrics } from './validation-report';

export interface ClassThreshold {
  threshold: number;
  f1: number;
}

/**
 * Hydra's confirmation thresholds: per class, the confidence (0.00–0.99, step 0.01) at which
 * "verdict is this class and confidence ≥ threshold" best matches the experts (max F1);
 * among equal F1 the lowest threshold wins, so no more verdicts than needed go unconfirmed.
 */
export function maxF1Thresholds(
  labels: string[],
  truth: number[],
  probabilities: number[][],
): Record<string, ClassThreshold> {
  const verdicts = probabilities.map((row) => ({ predicted: argMax(row), row }));
  const result: Record<string, ClassThreshold> = {};
  labels.forEach((label, classIndex) => {
    const support = truth.filter((actual) => actual === classIndex).length;
    let best: ClassThreshold = { threshold: 0, f1: -1 };
    for (let step = 0; step <= 99; step++) {
      const threshold = step / 100;
      let predicted = 0;
      let truePositives = 0;
      verdicts.forEach(({ predicted: verdict, row }, index) => {
        if (verdict !== classIndex || (row[classIndex] as number) < threshold) return;
        predicted++;
        if (truth[index] === classIndex) truePositives++;
      });
      const { f1 } = f1Metrics(label, truePositives, predicted, support);
      if (f1 > best.f1 + 1e-12) best = { threshold, f1 };
    }
    result[label] = best;
  });
  return result;
}
