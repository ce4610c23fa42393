import { occupancyMap } from './plots/occupancy-map';
import { timingHistogram } from './plots/timing-histogram';
import { triggerBits } from './plots/trigger-bits';
import { Random } from './random';
import { rootFaultMix } from './root/faults';
import { checkRootStyleOptions, type RootStyleOptions } from './root/look';
import { rootOccupancyMap } from './root/occupancy';
import { rootTimingHistogram } from './root/timing';
import { rootTriggerBits } from './root/trigger';
import type { PlotRequest, PlotStyle, SimulatedLabel, SimulatedPlot } from './simulated-plot';

/** The plot types the simulator draws, by the names Hydra registers them under. */
export const simulatedPlotTypes = {
  FCAL_occupancy: occupancyMap,
  CDC_timing: timingHistogram,
  Trigger_bits: triggerBits,
} satisfies Record<string, (random: Random, request: PlotRequest) => Promise<SimulatedPlot>>;

export type SimulatedPlotType = keyof typeof simulatedPlotTypes;

/** The same plot types drawn in ROOT's look, for models that must not learn one drawing style. */
const rootPlotTypes = {
  FCAL_occupancy: rootOccupancyMap,
  CDC_timing: rootTimingHistogram,
  Trigger_bits: rootTriggerBits,
} satisfies Record<
  SimulatedPlotType,
  (seed: number, request: PlotRequest, options: RootStyleOptions) => Promise<SimulatedPlot>
>;

/** How to draw: the classic renderer (default), or the ROOT-like one with its choices. */
export interface PlotOptions {
  style?: PlotStyle;
  /** Only with `style: 'root'`. */
  root?: RootStyleOptions;
}

export interface DatasetOptions {
  plotType: SimulatedPlotType;
  count: number;
  seed: number;
  /** Share of each class; defaults to Hydra-like traffic where most plots are fine. */
  mix?: Record<SimulatedLabel, number>;
  /** Drawing style and, for `root`, its choices (sizes, palettes, subtle share, fault mix…). */
  style?: PlotStyle;
  root?: RootStyleOptions;
}

const DEFAULT_MIX: Record<SimulatedLabel, number> = { Good: 0.5, Bad: 0.35, NoData: 0.15 };

/** One plot, fully determined by (plot type, label, seed, drift, options). */
export async function simulatePlot(
  plotType: SimulatedPlotType,
  label: SimulatedLabel,
  seed: number,
  drift = 0,
  options: PlotOptions = {},
): Promise<SimulatedPlot> {
  checkPlotOptions(plotType, options);
  if (options.style === 'root') return rootPlotTypes[plotType](seed, { label, drift }, options.root ?? {});
  return simulatedPlotTypes[plotType](new Random(seed), { label, drift });
}

/** Rejects options that could not draw a plot, before any is drawn. */
function checkPlotOptions(plotType: SimulatedPlotType, { style = 'classic', root }: PlotOptions): void {
  if (!(plotType in simulatedPlotTypes))
    throw new RangeError(
      `unknown plot type ${plotType} (known: ${Object.keys(simulatedPlotTypes).join(', ')})`,
    );
  if (style !== 'classic' && style !== 'root') throw new RangeError(`unknown plot style ${String(style)}`);
  if (style === 'classic' && root)
    throw new RangeError('root style options were given for the classic style');
  if (root) {
    checkRootStyleOptions(root);
    rootFaultMix(plotType, root);
  }
}

/** `count` plots of one type; plot i depends only on (seed, i), and drift grows along the set like a run. */
export async function* simulateDataset({
  plotType,
  count,
  seed,
  mix = DEFAULT_MIX,
  style,
  root,
}: DatasetOptions): AsyncGenerator<SimulatedPlot> {
  const options: PlotOptions = { ...(style ? { style } : {}), ...(root ? { root } : {}) };
  checkPlotOptions(plotType, options);
  const labels = Object.keys(mix) as SimulatedLabel[];
  const total = labels.reduce((sum, label) => sum + mix[label], 0);
  for (let index = 0; index < count; index++) {
    const plotSeed = (seed * 1_000_003 + index) >>> 0;
    const draw = new Random(plotSeed ^ 0x9e3779b9).next() * total;
    let cumulative = 0;
    const label =
      labels.find((candidate) => (cumulative += mix[candidate]) > draw) ??
      (labels[labels.length - 1] as SimulatedLabel);
    yield await simulatePlot(plotType, label, plotSeed, count > 1 ? index / (count - 1) : 0, options);
  }
}
