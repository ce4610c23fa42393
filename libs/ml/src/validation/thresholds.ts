import { argMax, assertPredictions } from './predictions';
import { f1Metrics } from './validation-report';

/** A class's confirmation threshold and how its verdicts fare at it on the validation split. */
export interface ClassThreshold {
  threshold: number;
  f1: number;
  precision: number;
  recall: number;
  /** 'target': chosen to meet the class's precision/recall target; 'max-f1': the best F1. */
  rule: 'max-f1' | 'target';
  /** Why a requested target was not used (no threshold reaches it). */
  note?: string;
}

/** What a plot type may ask of a class instead of the best F1. */
export interface ThresholdTarget {
  /** Confirm as much as possible while confirmed verdicts are right at least this often. */
  minPrecision?: number;
  /** Confirm at least this share of the class's images, and nothing more than needed. */
  minRecall?: number;
}

export interface ThresholdOptions {
  /** Per class label; classes without one get the max-F1 threshold. */
  targets?: Record<string, ThresholdTarget>;
}

/** The highest threshold: a verdict at 0.99 or above is always confirmable. */
export const MAX_THRESHOLD = 0.99;

/**
 * Hydra's confirmation thresholds: per class, the confidence (0.00–0.99, step 0.01) at which
 * "verdict is this class and confidence ≥ threshold" best matches the experts (max F1).
 * Among equal F1 the highest threshold wins (as Jefferson Lab's Hydra does): on a perfectly
 * separated validation split the whole plateau scores F1 = 1, and its lowest point, 0.00, would
 * confirm every verdict, however unsure. A class the split cannot judge (F1 0 throughout) gets 0.99.
 *
 * With a target, the threshold is instead the lowest one meeting `minPrecision` (and `minRecall`
 * when both are given), or, for `minRecall` alone, the highest one meeting it; when none does,
 * max F1 decides and `note` says so.
 */
export function maxF1Thresholds(
  labels: string[],
  truth: number[],
  probabilities: number[][],
  options: ThresholdOptions = {},
): Record<string, ClassThreshold> {
  assertPredictions(truth, probabilities, { classes: labels.length });
  const verdicts = probabilities.map((row) => ({ predicted: argMax(row), row }));
  const result: Record<string, ClassThreshold> = {};
  labels.forEach((label, classIndex) => {
    const support = truth.filter((actual) => actual === classIndex).length;
    const candidates: Omit<ClassThreshold, 'rule'>[] = [];
    for (let step = 0; step <= Math.round(MAX_THRESHOLD * 100); step++) {
      const threshold = step / 100;
      let predicted = 0;
      let truePositives = 0;
      verdicts.forEach(({ predicted: verdict, row }, index) => {
        if (verdict !== classIndex || (row[classIndex] as number) < threshold) return;
        predicted++;
        if (truth[index] === classIndex) truePositives++;
      });
      const { f1, precision, recall } = f1Metrics(label, truePositives, predicted, support);
      candidates.push({ threshold, f1, precision, recall });
    }
    // Later (higher) thresholds win ties; F1 values differ by far more than 1e-12 when they differ.
    const best = candidates.reduce((top, candidate) => (candidate.f1 >= top.f1 - 1e-12 ? candidate : top));
    const target = options.targets?.[label];
    if (!target || (target.minPrecision === undefined && target.minRecall === undefined)) {
      result[label] = { ...best, rule: 'max-f1' };
      return;
    }
    const meeting = candidates.filter(
      (candidate) =>
        candidate.precision >= (target.minPrecision ?? 0) && candidate.recall >= (target.minRecall ?? 0),
    );
    const chosen = target.minPrecision === undefined ? meeting[meeting.length - 1] : meeting[0];
    result[label] = chosen
      ? { ...chosen, rule: 'target' }
      : { ...best, rule: 'max-f1', note: `no threshold reaches ${describe(target)} on the validation split` };
  });
  return result;
}

function describe(target: ThresholdTarget): string {
  return [
    target.minPrecision === undefined ? null : `precision ≥ ${target.minPrecision}`,
    target.minRecall === undefined ? null : `recall ≥ ${target.minRecall}`,
  ]
    .filter((part) => part !== null)
    .join(' and ');
}
