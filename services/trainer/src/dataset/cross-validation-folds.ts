import { stratifiedKFoldSplits } from '@hydra/ml';
import type { StoredExamples } from './stored-examples';

/** One round of k-fold cross-validation by reference: what its model trains, stops early and is tested on. */
export interface FoldExamples {
  train: StoredExamples;
  validation: StoredExamples;
  test: StoredExamples;
}

/**
 * The k rounds of stratified k-fold cross-validation over every labeled image (whatever its split in
 * the candidate's run): in each, one fold is tested, the next one stops training early and the
 * others are trained on (stratifiedKFoldSplits), so every image is tested exactly once, by a model
 * that never saw it. Each split lists its images in the order given.
 */
export function foldExamples(
  images: readonly { storageKey: string; labelIndex: number }[],
  folds: number,
  seed: number,
): FoldExamples[] {
  const rounds = stratifiedKFoldSplits(
    images.map((image) => image.labelIndex),
    folds,
    seed,
  );
  return rounds.map((splits) => {
    const part = (name: string): StoredExamples => {
      const members = images.filter((_, index) => splits[index] === name);
      return {
        keys: members.map((image) => image.storageKey),
        labels: members.map((image) => image.labelIndex),
      };
    };
    return { train: part('train'), validation: part('validation'), test: part('test') };
  });
}
