/** The classes the simulator produces; the labels Hydra's default palette starts with. */
export type SimulatedLabel = 'Good' | 'Bad' | 'NoData';

export type FaultKind =
  | 'dead-channel'
  | 'dead-board'
  | 'dead-sector'
  | 'hot-channel'
  | 'hot-board'
  | 'shifted-peak'
  | 'broadened-peak'
  | 'dead-bit'
  | 'hot-bit'
  | 'low-statistics'
  | 'empty';

/** A pixel rectangle of the image. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One rendered plot with its ground truth. */
export interface SimulatedPlot {
  plotType: string;
  label: SimulatedLabel;
  fault: FaultKind | null;
  png: Buffer;
  width: number;
  height: number;
  /** Where a localised fault shows, in pixels; empty for good plots and plot-wide faults. */
  faultBoxes: PixelBox[];
}

/** What a generator is asked for: one class, a time step for slow drifts, the random source. */
export interface PlotRequest {
  label: SimulatedLabel;
  /** 0…1 along a run: good behaviour drifts slowly with it, within tolerance. */
  drift: number;
}

/** The ground-truth mask (1 = fault) of a plot, width × height, row-major. */
export function faultMask(plot: Pick<SimulatedPlot, 'width' | 'height' | 'faultBoxes'>): Uint8Array {
  const mask = new Uint8Array(plot.width * plot.height);
  for (const box of plot.faultBoxes) {
    for (
      let y = Math.max(0, Math.floor(box.y));
      y < Math.min(plot.height, Math.ceil(box.y + box.height));
      y++
    ) {
      mask.fill(
        1,
        y * plot.width + Math.max(0, Math.floor(box.x)),
        y * plot.width + Math.min(plot.width, Math.ceil(box.x + box.width)),
      );
    }
  }
  return mask;
}

/** The fault of a plot of this label: one of `badFaults` for Bad, too few entries or none for NoData. */
export function pickFault(
  random: { pick<T>(items: readonly T[]): T },
  label: SimulatedLabel,
  badFaults: FaultKind[],
): FaultKind | null {
  if (label === 'Bad') return random.pick(badFaults);
  if (label === 'NoData') return random.pick(['low-statistics', 'empty'] as const);
  return null;
}
