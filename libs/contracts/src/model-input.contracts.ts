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

/** A candidate model's input beyond its size: its median-residual window (0: none) and whether it has a Good reference. */
export interface InputCandidate {
  medianResidual: number;
  goodReference: boolean;
}

/**
 * The inputs a new hydra-cnn is trained with when neither the request nor the plot type sets
 * either option: the image alone, and with its Good reference (which lifted matplotlib occupancy's
 * rim hot cells from about 60 % to 90 % caught, bench/src/accuracy.bench.ts).
 */
export const CHOSEN_INPUTS: readonly InputCandidate[] = [
  { medianResidual: 0, goodReference: false },
  { medianResidual: 0, goodReference: true },
];

/**
 * The candidate inputs a run trains one model each with, keeping the one whose best epoch has the
 * lower validation loss: the request's or the plot type's options where either sets one (the other
 * off); otherwise CHOSEN_INPUTS for a new hydra-cnn (a residual shows what a few labels do not
 * teach, but can cost plots without such faults: the validation loss tells them apart), the image
 * alone for the other architectures. A fine-tune trains one candidate, at its parent's input.
 * The trainer trains these and the cost estimate counts them.
 */
export function inputCandidates(
  architecture: ModelArchitecture,
  options: { medianResidual?: number | undefined; goodReference?: boolean | undefined },
  fineTune: boolean,
): InputCandidate[] {
  const plain = { medianResidual: 0, goodReference: false };
  if (fineTune) return [plain];
  if (options.medianResidual !== undefined || options.goodReference !== undefined)
    return [{ medianResidual: options.medianResidual ?? 0, goodReference: options.goodReference ?? false }];
  return architecture === 'hydra-cnn' ? CHOSEN_INPUTS.map((input) => ({ ...input })) : [plain];
}

/** "median residual 5 × 5 and Good reference", "image alone": a candidate's input, in words. */
export function inputCandidateName({ medianResidual, goodReference }: InputCandidate): string {
  const parts = [
    ...(medianResidual ? [`median residual ${medianResidual} × ${medianResidual}`] : []),
    ...(goodReference ? ['Good reference'] : []),
  ];
  return parts.length ? parts.join(' and ') : 'image alone';
}
