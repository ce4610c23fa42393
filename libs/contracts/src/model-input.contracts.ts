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
