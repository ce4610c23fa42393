import type { ModelArchitecture } from './primitives';

/**
 * The pixels of hydra-cnn's default input: training time grows with them, and 4× as many
 * (144 × 192) caught no more subtle faults in bench/src/accuracy.bench.ts.
 */
export const HYDRA_CNN_MAX_PIXELS = 72 * 96;

/**
 * hydra-cnn's default input for a plot type whose images are `nativeSize`: the plot's aspect ratio,
 * so no pixel of the budget goes to the letterbox's margin, with HYDRA_CNN_MAX_PIXELS at most and
 * never more than the plot has; sides are multiples of 8, what its three poolings divide evenly.
 * The trainer trains at it and the cost estimate assumes it.
 */
export function hydraCnnPlotInput(nativeSize: { width: number; height: number }): {
  height: number;
  width: number;
} {
  const scale = Math.min(1, Math.sqrt(HYDRA_CNN_MAX_PIXELS / (nativeSize.width * nativeSize.height)));
  const side = (pixels: number) => Math.max(8, Math.floor((pixels * scale) / 8) * 8);
  return { height: side(nativeSize.height), width: side(nativeSize.width) };
}

/** The median-residual windows a new hydra-cnn is trained with when neither the request nor the plot type sets one: none, and 5 × 5. */
export const CHOSEN_MEDIAN_RESIDUALS = [0, 5] as const;

/**
 * The median-residual windows (0: none) a run trains one candidate each with, keeping the one whose
 * best epoch has the lower validation loss: the request's or the plot type's window where either sets
 * one; otherwise none and 5 × 5 for a new hydra-cnn (the residual shows an isolated hot cell, but
 * costs plots without one up to 19 points: the validation loss tells the two apart,
 * bench/src/accuracy.bench.ts), none for the other architectures. A fine-tune trains one candidate,
 * at its parent's input.
 * The trainer trains these and the cost estimate counts them.
 */
export function medianResidualWindows(
  architecture: ModelArchitecture,
  medianResidual: number | undefined,
  fineTune: boolean,
): number[] {
  if (fineTune) return [0];
  if (medianResidual !== undefined) return [medianResidual];
  return architecture === 'hydra-cnn' ? [...CHOSEN_MEDIAN_RESIDUALS] : [0];
}
