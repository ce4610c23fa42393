import type { ModelArchitecture } from './primitives';

/**
 * What a training run will cost, said before it starts (POST /api/plot-types/:plotType/training/estimate,
 * and with the 202 of a training request): measured speeds of each architecture on the trainer's
 * reference machine, scaled to the input and the number of labeled images.
 */
export interface TrainingEstimate {
  architecture: ModelArchitecture;
  /** The input the estimate assumes: the request's, the plot type's default, or the trainer's choice. */
  input: { height: number; width: number };
  /** Labeled images the run draws from (70 % trained on, 15 % validated, each epoch). */
  images: number;
  /** Seconds to train on one image once (forward and backward pass). */
  secondsPerImage: number;
  /** Seconds per epoch of the candidates together. */
  secondsPerEpoch: number;
  /**
   * The candidate models trained on those images (inputCandidates), of which the trainer keeps the
   * lower validation loss: 2 where it chooses the input, else 1.
   */
  candidates: number;
  /**
   * Where the labeled images are few (crossValidationFolds), the k fold trainings the run adds,
   * each on the other folds: their seconds per epoch together. Null when the run will not cross-validate.
   */
  crossValidation: { folds: number; secondsPerEpoch: number } | null;
}
