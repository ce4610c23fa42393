import { gateValue, minimumTestImages, type ProportionInterval, wilsonInterval, Z_95 } from './intervals';
import { argMax, assertPredictions } from './predictions';
import type { ClassMetrics, ValidationReport } from './validation-report';

/** What a candidate must show before it may be promoted (the trainer's per-plot-type `training_gates`). */
export interface QualityGates {
  /** Test images every class needs for its numbers to mean anything. */
  minTestPerClass: number;
  /** Recall of the Bad class the test images must show (its 95 % lower bound). */
  minBadRecall: number;
  /** Accuracy the candidate may lose against production on the same images. */
  maxRegression: number;
}

export interface GateCheck {
  /** Each failed gate as a sentence; the candidate passes when this is empty. */
  failures: string[];
  /** What the numbers cannot show (test split too small, no paired comparison); not failures by themselves. */
  warnings: string[];
}

/** Candidate accuracy minus production's on the same test images, with its 95 % interval. */
export interface AccuracyDifference {
  value: number;
  lower: number;
  upper: number;
  n: number;
  /** Images only the candidate got right, and only production got right. */
  candidateOnly: number;
  productionOnly: number;
}

const BAD = 'Bad';

/**
 * Accuracy difference of two models on the same images, with Newcombe's (1998) square-and-add
 * interval for paired proportions: the Wilson intervals of both accuracies, combined with the
 * (continuity-corrected) correlation of the two models' right and wrong verdicts, so agreeing
 * models get a narrow interval that a comparison of two independent accuracies would not give.
 */
export function pairedAccuracyDifference(
  truth: number[],
  candidateProbabilities: number[][],
  productionProbabilities: number[][],
  z = Z_95,
): AccuracyDifference {
  assertPredictions(truth, candidateProbabilities);
  assertPredictions(truth, productionProbabilities, { classes: candidateProbabilities[0]?.length });
  let bothRight = 0;
  let candidateOnly = 0;
  let productionOnly = 0;
  truth.forEach((actual, index) => {
    const candidateRight = argMax(candidateProbabilities[index] as number[]) === actual;
    const productionRight = argMax(productionProbabilities[index] as number[]) === actual;
    if (candidateRight && productionRight) bothRight++;
    else if (candidateRight) candidateOnly++;
    else if (productionRight) productionOnly++;
  });
  const n = truth.length;
  const bothWrong = n - bothRight - candidateOnly - productionOnly;
  const candidate = wilsonInterval(bothRight + candidateOnly, n, z);
  const production = wilsonInterval(bothRight + productionOnly, n, z);
  const marginals =
    (bothRight + candidateOnly) *
    (productionOnly + bothWrong) *
    (bothRight + productionOnly) *
    (candidateOnly + bothWrong);
  const association = bothRight * bothWrong - candidateOnly * productionOnly;
  // Newcombe's continuity correction: a small positive association counts as none.
  const correlation =
    marginals === 0
      ? 0
      : (association > n / 2 ? association - n / 2 : Math.min(association, 0)) / Math.sqrt(marginals);
  const combine = (first: number, second: number) =>
    Math.sqrt(first * first + second * second - 2 * correlation * first * second);
  const value = candidate.value - production.value;
  return {
    value,
    lower: Math.max(
      -1,
      value - combine(candidate.value - candidate.lower, production.upper - production.value),
    ),
    upper: Math.min(
      1,
      value + combine(production.value - production.lower, candidate.upper - candidate.value),
    ),
    n,
    candidateOnly,
    productionOnly,
  };
}

/**
 * Where the test split is too small for a gate to be passed at all: a perfect score on fewer than
 * `minimumTestImages(gate)` images still has a lower bound under the gate. checkGates then judges
 * that gate on its point estimate; these warnings say so.
 */
export function supportWarnings(report: ValidationReport, gates: QualityGates, badLabel = BAD): string[] {
  const bad = report.perClass.find((metrics) => metrics.label === badLabel);
  if (!bad || gates.minBadRecall <= 0) return [];
  const needed = minimumTestImages(gates.minBadRecall);
  if (bad.support >= needed) return [];
  const best = wilsonInterval(bad.support, bad.support).lower;
  return [
    `${bad.support} test images of ${badLabel} cannot show a recall of at least ${gates.minBadRecall}: even ${bad.support} of ${bad.support} right has a 95 % lower bound of ${best.toFixed(3)}` +
      (Number.isFinite(needed) ? `; at least ${needed} are needed` : '') +
      '; the gate judged the observed recall',
  ];
}

/**
 * The gates on lower bounds: Bad recall must be shown by its 95 % lower bound; against production,
 * the paired `regression` interval (pairedAccuracyDifference) must rule out losing more than
 * `maxRegression`. Without it only the point estimates can be compared, and a warning says so.
 * A gate the test split is too small to show at all (even a perfect score's bound misses it) would
 * reject every model whatever it learned; such a gate judges the point estimate, with a warning.
 */
export function checkGates(
  candidate: ValidationReport,
  production: ValidationReport | null,
  gates: QualityGates,
  options: { regression?: AccuracyDifference; badLabel?: string } = {},
): GateCheck {
  const badLabel = options.badLabel ?? BAD;
  const failures: string[] = [];
  const warnings = supportWarnings(candidate, gates, badLabel);
  for (const metrics of candidate.perClass) {
    if (metrics.support < gates.minTestPerClass)
      failures.push(
        `only ${metrics.support} test images of ${metrics.label} (at least ${gates.minTestPerClass} needed)`,
      );
  }
  const bad = candidate.perClass.find((metrics) => metrics.label === badLabel);
  if (bad && bad.support > 0) {
    const recall = recallInterval(bad);
    if (bad.support < minimumTestImages(gates.minBadRecall)) {
      if (recall.value < gates.minBadRecall)
        failures.push(
          `${badLabel} recall ${recall.value.toFixed(3)} on ${recall.n} test images is under the minimum ${gates.minBadRecall}`,
        );
    } else if (gateValue(recall) < gates.minBadRecall)
      failures.push(
        `${badLabel} recall ${recall.value.toFixed(3)} on ${recall.n} test images could be as low as ${recall.lower.toFixed(3)} (95 % lower bound), under the minimum ${gates.minBadRecall}`,
      );
  }
  if (production) {
    const { regression } = options;
    // Two models right on all n images still differ by up to 1 − (Wilson bound of n of n).
    const needed = minimumTestImages(1 - gates.maxRegression);
    if (regression && regression.n < needed) {
      warnings.push(
        `${regression.n} test images cannot show that the candidate loses at most ${gates.maxRegression} against production${Number.isFinite(needed) ? ` (at least ${needed} are needed)` : ''}; the gate judged the observed difference ${signed(regression.value)}`,
      );
      if (regression.value < -gates.maxRegression)
        failures.push(
          `accuracy is ${(-regression.value).toFixed(3)} below production's on the same ${regression.n} images, more than the allowed ${gates.maxRegression}`,
        );
    } else if (regression) {
      if (regression.lower < -gates.maxRegression)
        failures.push(
          `accuracy could be up to ${(-regression.lower).toFixed(3)} below production's on the same ${regression.n} images (95 % bound; observed ${signed(regression.value)}), more than the allowed ${gates.maxRegression}`,
        );
    } else {
      warnings.push('no paired comparison with production: the regression gate compared point estimates');
      if (candidate.accuracy < production.accuracy - gates.maxRegression)
        failures.push(
          `accuracy ${candidate.accuracy.toFixed(3)} is more than ${gates.maxRegression} below production's ${production.accuracy.toFixed(3)} on the same images`,
        );
    }
  }
  return { failures, warnings };
}

/** Reports written before intervals existed carry only recall and support; they are enough. */
function recallInterval(metrics: ClassMetrics): ProportionInterval {
  return (
    metrics.recallInterval ?? wilsonInterval(Math.round(metrics.recall * metrics.support), metrics.support)
  );
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
}
