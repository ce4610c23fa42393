/**
 * When the trainer cross-validates, shared by the trainer (which runs the folds) and labeler-api
 * (whose estimate counts them): one rule, so the estimate and the run agree.
 */

/** Each class's share held out as the test split (the trainer's dataset-builder). */
export const TEST_SHARE = 0.15;

/** A class with fewer test images than this gets a warning: its figures' 95 % intervals are wide. */
export const FEW_TEST_IMAGES = 30;

/** Folds when a request and the plot type's defaults do not say (`crossValidationFolds`). */
export const DEFAULT_CROSS_VALIDATION_FOLDS = 5;

/**
 * The folds a run cross-validates with (0: none). Where the held-out test split would have fewer
 * than FEW_TEST_IMAGES images of some class, its figures are too loose to judge a model by, so the
 * same recipe is also trained k times, each fold tested by a model trained on the others, and every
 * labeled image is judged once. `folds` is the resolved option (0 turns it off); a set smaller
 * than the folds cannot fill them; a fine-tune never cross-validates, as its starting weights may
 * have trained on any of the images (no fold would be unseen).
 */
export function crossValidationFolds(
  run: { folds: number; fineTune: boolean },
  imagesPerClass: readonly number[],
): number {
  const present = imagesPerClass.filter((count) => count > 0);
  const total = present.reduce((sum, count) => sum + count, 0);
  if (run.folds === 0 || run.fineTune || total < run.folds) return 0;
  return present.some((count) => Math.round(count * TEST_SHARE) < FEW_TEST_IMAGES) ? run.folds : 0;
}
