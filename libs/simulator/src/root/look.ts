import { PALETTE_NAMES, type PaletteName } from '../palette';
import type { Random } from '../random';
import type { FaultKind } from '../simulated-plot';
import { type CanvasSize, ROOT_CANVAS_SIZES } from './layout';

/** Choices for `root`-style plots; each one left out is drawn per plot from its seed. */
export interface RootStyleOptions {
  /** Canvas sizes to draw among (default `ROOT_CANVAS_SIZES`); one entry fixes the size. */
  sizes?: readonly CanvasSize[];
  /** The colour scale of 2D maps. */
  palette?: PaletteName;
  /** A logarithmic y axis (1D) or colour scale (2D). */
  logScale?: boolean;
  statsBox?: boolean;
  /** Timing histograms: overlay the reference shape, with a legend. */
  reference?: boolean;
  /** Share of Bad plots drawn with a subtle fault rather than a gross one, 0…1 (default 0.5). */
  subtleShare?: number;
  /** Relative weights of the faults Bad plots get (default: every fault of the plot type, equally). */
  faultMix?: Partial<Record<FaultKind, number>>;
  /** Every Bad plot's fault magnitude, in its kind's unit (see `ROOT_FAULT_LEVELS`), instead of a drawn one; dead parts stay dead. */
  faultMagnitude?: number;
}

/** How one plot looks: drawn from the seed alone, so a Good and a Bad plot of one seed look alike. */
export interface RootLook {
  size: CanvasSize;
  background: string;
  palette: PaletteName;
  logScale: boolean;
  statsBox: boolean;
  reference: boolean;
  /** Histogram fill (`none` for a line histogram) and line. */
  fill: string;
  line: string;
  lineWidth: number;
  runNumber: number;
}

const BACKGROUNDS = ['#ffffff', '#ffffff', '#f0f0f0', '#e3e3e3'];
const HISTOGRAM_COLOURS: [string, string][] = [
  ['#7fa7e0', '#1f3a93'],
  ['#f2b477', '#a0522d'],
  ['#a3d9a5', '#1b6e20'],
  ['none', '#0000ff'],
  ['none', '#000000'],
];

/** Draws a look (always the same number of draws, so options never shift the data that follows). */
export function drawLook(random: Random, options: RootStyleOptions, twoDimensional: boolean): RootLook {
  const sizes = options.sizes ?? ROOT_CANVAS_SIZES;
  const size = random.pick(sizes);
  const background = random.pick(BACKGROUNDS);
  const palette = random.pick(PALETTE_NAMES);
  const logScale = random.next() < 0.3;
  const statsBox = random.next() < (twoDimensional ? 0.4 : 0.8);
  const reference = random.next() < 0.4;
  const [fill, line] = random.pick(HISTOGRAM_COLOURS);
  const lineWidth = random.pick([1, 1, 2]);
  const runNumber = random.integer(30_000, 60_000);
  return {
    size,
    background,
    palette: options.palette ?? palette,
    logScale: options.logScale ?? logScale,
    statsBox: options.statsBox ?? statsBox,
    reference: options.reference ?? reference,
    fill,
    line,
    lineWidth,
    runNumber,
  };
}

/** Rejects options no plot could be drawn with, saying which and why. */
export function checkRootStyleOptions(options: RootStyleOptions): void {
  if (options.sizes !== undefined) {
    if (options.sizes.length === 0) throw new RangeError('root style: sizes is empty');
    for (const { width, height } of options.sizes) {
      if (!isCanvasSide(width) || !isCanvasSide(height))
        throw new RangeError(`root style: canvas size ${width} × ${height} is not whole pixels in 200…2000`);
    }
  }
  if (options.palette !== undefined && !PALETTE_NAMES.includes(options.palette))
    throw new RangeError(
      `root style: unknown palette ${String(options.palette)} (known: ${PALETTE_NAMES.join(', ')})`,
    );
  const share = options.subtleShare;
  if (share !== undefined && !(share >= 0 && share <= 1))
    throw new RangeError(`root style: subtleShare ${share} is not within 0…1`);
  if (options.faultMagnitude !== undefined && !Number.isFinite(options.faultMagnitude))
    throw new RangeError(`root style: faultMagnitude ${options.faultMagnitude} is not a number`);
}

function isCanvasSide(value: number): boolean {
  return Number.isInteger(value) && value >= 200 && value <= 2000;
}
