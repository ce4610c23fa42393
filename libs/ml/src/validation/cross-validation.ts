import { shuffledByClass, type Split } from '../training/stratified-split';
import { validationReport, type ValidationReport } from './validation-report';

/**
 * Stratified k-fold splits for data too few for one held-out test split: k rounds; in round r,
 * fold r is the test split, fold r + 1 (mod k) the validation split, the rest train. Every
 * example is tested exactly once, so pooling the k test predictions (pooledReport) judges the
 * whole data set, each image by a model that never trained on it. Folds are dealt class by class
 * round the table, so every class is spread evenly and fold sizes differ by at most one.
 * Deterministic for a seed; each round lists the split of every example in input order.
 */
export function stratifiedKFoldSplits(labels: number[], k: number, seed = 1): Split[][] {
  if (!Number.isInteger(k) || k < 3)
    throw new RangeError(`k-fold needs k ≥ 3 (a test, a validation and a train fold); got ${k}`);
  const folds = new Array<number>(labels.length).fill(0);
  let dealt = 0;
  for (const members of shuffledByClass(labels, seed)) {
    for (const example of members) folds[example] = dealt++ % k;
  }
  return Array.from({ length: k }, (_, round) =>
    folds.map((fold): Split => (fold === round ? 'test' : fold === (round + 1) % k ? 'validation' : 'train')),
  );
}

/** One report over every round's test predictions (expert labels and probabilities, in any order). */
export function pooledReport(
  labels: string[],
  rounds: { truth: number[]; probabilities: number[][] }[],
  bins?: number,
): ValidationReport {
  rounds.forEach((round, index) => {
    // Checked per round: a short round would shift every later label onto the wrong row.
    if (round.truth.length !== round.probabilities.length)
      throw new RangeError(
        `round ${index} has ${round.truth.length} expert labels but ${round.probabilities.length} rows of probabilities`,
      );
  });
  return validationReport(
    labels,
    rounds.flatMap((round) => round.truth),
    rounds.flatMap((round) => round.probabilities),
    bins,
  );
}
