import type { TrainingEstimate } from '@hydra/contracts';
import { formatEta } from './library-model';

/** Above this an epoch is slow enough that the panel says so in red: a run is many epochs. */
const SLOW_EPOCH_S = 10 * 60;

/** An epoch of the run, with the cross-validation rounds' epochs it adds, takes longer than SLOW_EPOCH_S. */
export function isSlow({ secondsPerEpoch, crossValidation }: TrainingEstimate): boolean {
  return secondsPerEpoch + (crossValidation?.secondsPerEpoch ?? 0) > SLOW_EPOCH_S;
}

/**
 * "About 6 min 30 s per epoch: 290 labeled images at 1.3 s each (inception-v3 at 299×299).", the
 * candidates where the trainer trains two, and, where the images are few, what the cross-validation
 * rounds add.
 */
export function estimateText(estimate: TrainingEstimate): string {
  const { architecture, input, images, secondsPerImage, secondsPerEpoch, candidates, crossValidation } =
    estimate;
  const model = `${architecture} at ${input.height}×${input.width}`;
  if (images === 0) return `No labeled images yet: label some before training (${model}).`;
  const each = secondsPerImage >= 0.1 ? `${secondsPerImage} s` : `${Math.round(secondsPerImage * 1000)} ms`;
  const rounds = crossValidation
    ? ` Few images per class: ${crossValidation.folds}-fold cross-validation adds about ${formatEta(crossValidation.secondsPerEpoch)} per epoch.`
    : '';
  const twice =
    candidates > 1 ? `, for each of ${candidates} candidate inputs, the lower validation loss kept` : '';
  return `About ${formatEta(secondsPerEpoch)} per epoch: ${images} labeled images at ${each} each${twice} (${model}).${rounds}`;
}
