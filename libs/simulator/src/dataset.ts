import { occupancyMap } from './plots/occupancy-map';
import { timingHistogram } from './plots/timing-histogram';
import { triggerBits } from './plots/trigger-bits';
import { Random } from './random';
import type { PlotRequest, SimulatedLabel, SimulatedPlot } from './simulated-plot';

/** The plot types the simulator draws, by the names Hydra registers them under. */
export const simulatedPlotTypes = {
  FCAL_occupancy: occupancyMap,
  CDC_timing: timingHistogram,
  Trigger_bits: triggerBits,
} satisfies Record<string, (random: Random, request: PlotRequest) => Promise<SimulatedPlot>>;

export type SimulatedPlotType = keyof typeof simulatedPlotTypes;

export interface DatasetOptions {
  plotType: SimulatedPlotType;
  count: number;
  seed: number;
  /** Share of each class; defaults to Hydra-like traffic where most plots are fine. */
  mix?: Record<SimulatedLabel, number>;
}

const DEFAULT_MIX: Record<SimulatedLabel, number> = { Good: 0.5, Bad: 0.35, NoData: 0.15 };

/** One plot, fully determined by (plot type, label, seed, drift). */
export function simulatePlot(
  plotType: SimulatedPlotType,
  label: SimulatedLabel,
  seed: number,
  drift = 0,
): Promise<SimulatedPlot> {
  return simulatedPlotTypes[plotType](new Random(seed), { label, drift });
}

/** `count` plots of one type; plot i depends only on (seed, i), and drift grows along the set like a run. */
export async function* simulateDataset({
  plotType,
  count,
  seed,
  mix = DEFAULT_MIX,
}: DatasetOptions): AsyncGenerator<SimulatedPlot> {
  const labels = Object.keys(mix) as SimulatedLabel[];
  const total = labels.reduce((sum, label) => sum + mix[label], 0);
  for (let index = 0; index < count; index++) {
    const plotSeed = (seed * 1_000_003 + index) >>> 0;
    const draw = new Random(plotSeed ^ 0x9e3779b9).next() * total;
    let cumulative = 0;
    const label =
      labels.find((candidate) => (cumulative += mix[candidate]) > draw) ??
      (labels[labels.length - 1] as SimulatedLabel);
    yield await simulatePlot(plotType, label, plotSeed, count > 1 ? index / (count - 1) : 0);
  }
}
