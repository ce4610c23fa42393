/** The classes the simulator produces; the labels Hydra's default palette starts with. */
export type SimulatedLabel = 'Good' | 'Bad' | 'NoData';

export type FaultKind =
  | 'dead-channel'
  | 'dead-board'
  | 'dead-sector'
  | 'hot-channel'
  | 'hot-board'
  | 'inefficient-sector'
  | 'shifted-peak'
  | 'split-peak'
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

/** How a plot is drawn: `classic` (400 × 300, the look the services' tests use) or `root` (ROOT-like, varied). */
export type PlotStyle = 'classic' | 'root';

/** How strong a fault is: `gross` is obvious at a glance, `subtle` needs a second look. */
export type FaultSeverity = 'gross' | 'subtle';

/** A fault's strength, in the unit of its kind (see `ROOT_FAULT_LEVELS`). */
export interface FaultLevel {
  severity: FaultSeverity;
  magnitude: number;
}

/** Where the parts of the frame around the data are, in pixels; `null` where the plot has no such part. */
export interface FrameRegions {
  /** The frame the data is drawn in, its border line included. */
  plotArea: PixelBox;
  title: PixelBox;
  /** Tick labels and axis title below the frame. */
  xAxis: PixelBox;
  /** Tick labels and axis title left of the frame. */
  yAxis: PixelBox;
  statsBox: PixelBox | null;
  legend: PixelBox | null;
  /** The colour bar of a 2D plot and its labels. */
  palette: PixelBox | null;
}

/** One rendered plot with its ground truth. */
export interface SimulatedPlot {
  plotType: string;
  style: PlotStyle;
  label: SimulatedLabel;
  fault: FaultKind | null;
  /** Set by the `root` style for Bad plots. */
  faultLevel?: FaultLevel;
  png: Buffer;
  width: number;
  height: number;
  /** Where a localised fault shows, in pixels; empty for good plots and plot-wide faults. */
  faultBoxes: PixelBox[];
  frame: FrameRegions;
}

/** What a generator is asked for: one class, a time step for slow drifts, the random source. */
export interface PlotRequest {
  label: SimulatedLabel;
  /** 0…1 along a run: good behaviour drifts slowly with it, within tolerance. */
  drift: number;
}

/** The ground-truth mask (1 = fault) of a plot, width × height, row-major. */
export function faultMask(plot: Pick<SimulatedPlot, 'width' | 'height' | 'faultBoxes'>): Uint8Array {
  return boxMask(plot.width, plot.height, plot.faultBoxes);
}

/** A width × height row-major mask with 1 on every pixel a box touches (e.g. frame regions to ignore). */
export function boxMask(width: number, height: number, boxes: readonly PixelBox[]): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const box of boxes) {
    for (let y = Math.max(0, Math.floor(box.y)); y < Math.min(height, Math.ceil(box.y + box.height)); y++) {
      mask.fill(
        1,
        y * width + Math.max(0, Math.floor(box.x)),
        y * width + Math.min(width, Math.ceil(box.x + box.width)),
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
