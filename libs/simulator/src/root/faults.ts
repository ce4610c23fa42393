import type { SimulatedPlotType } from '../dataset';
import type { Random } from '../random';
import type { FaultKind, FaultLevel, FaultSeverity, SimulatedLabel } from '../simulated-plot';
import type { RootStyleOptions } from './look';

type MagnitudeRanges = Partial<Record<FaultSeverity, [number, number]>>;

/**
 * The faults the `root` style draws per plot type, with their magnitude ranges per severity.
 * Units: shifted-peak — shift in peak widths (σ); split-peak — each half's distance from the
 * nominal peak, in σ; broadened-peak — width factor; inefficient-sector — efficiency left;
 * hot-* — rate factor; dead-* — rate left (0). A subtle dead channel is one channel, a gross one
 * a 2 × 2 connector; a subtle dead bit is a rare one (bits 10–15), a gross one a common one (1–7).
 */
export const ROOT_FAULT_LEVELS: Record<SimulatedPlotType, Partial<Record<FaultKind, MagnitudeRanges>>> = {
  CDC_timing: {
    'shifted-peak': { subtle: [1, 2], gross: [4, 8] },
    'split-peak': { subtle: [1, 1.5], gross: [3, 5] },
    'broadened-peak': { subtle: [1.5, 2], gross: [3, 5] },
  },
  FCAL_occupancy: {
    'inefficient-sector': { subtle: [0.45, 0.6] },
    'dead-channel': { subtle: [0, 0], gross: [0, 0] },
    'hot-channel': { subtle: [2.5, 4], gross: [10, 25] },
    'dead-board': { gross: [0, 0] },
    'hot-board': { gross: [8, 12] },
    'dead-sector': { gross: [0, 0] },
  },
  Trigger_bits: {
    'dead-bit': { subtle: [0, 0], gross: [0, 0] },
    'hot-bit': { subtle: [1.4, 1.8], gross: [4, 8] },
  },
};

/** The fault a `root`-style plot of this label gets, with its level for a Bad one. */
export interface RootFault {
  fault: FaultKind | null;
  level: FaultLevel | null;
}

/** Picks the fault from `random` (the plot's fault stream): the mix's kinds, subtle in `subtleShare` of Bad plots. */
export function pickRootFault(
  random: Random,
  plotType: SimulatedPlotType,
  label: SimulatedLabel,
  options: RootStyleOptions,
): RootFault {
  if (label === 'Good') return { fault: null, level: null };
  if (label === 'NoData') return { fault: random.pick(['low-statistics', 'empty'] as const), level: null };
  const levels = ROOT_FAULT_LEVELS[plotType];
  const mix = rootFaultMix(plotType, options);
  const wanted: FaultSeverity = random.next() < (options.subtleShare ?? 0.5) ? 'subtle' : 'gross';
  const offering = (severity: FaultSeverity) =>
    mix.filter(([kind]) => levels[kind]?.[severity] !== undefined);
  const candidates = offering(wanted).length > 0 ? offering(wanted) : mix;
  const total = candidates.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random.next() * total;
  const [fault] =
    candidates.find(([, weight]) => (draw -= weight) < 0) ?? (candidates.at(-1) as [FaultKind, number]);
  const ranges = levels[fault] as MagnitudeRanges;
  const severity: FaultSeverity = ranges[wanted] ? wanted : wanted === 'subtle' ? 'gross' : 'subtle';
  const [low, high] = ranges[severity] as [number, number];
  // A dead part has nothing to scale: it keeps its fixed magnitude whatever the options ask.
  const magnitude = low === high ? low : (options.faultMagnitude ?? random.between(low, high));
  return { fault, level: { severity, magnitude } };
}

/** The fault mix as [kind, weight] pairs with weight > 0; names the problem when the mix cannot be drawn from. */
export function rootFaultMix(plotType: SimulatedPlotType, options: RootStyleOptions): [FaultKind, number][] {
  const levels = ROOT_FAULT_LEVELS[plotType];
  const known = Object.keys(levels) as FaultKind[];
  if (!options.faultMix) return known.map((kind) => [kind, 1]);
  const mix = Object.entries(options.faultMix) as [FaultKind, number][];
  for (const [kind, weight] of mix) {
    if (!known.includes(kind))
      throw new RangeError(
        `fault mix: the root style draws no ${kind} on ${plotType} (it draws ${known.join(', ')})`,
      );
    if (!(weight >= 0 && Number.isFinite(weight)))
      throw new RangeError(`fault mix: weight ${weight} of ${kind} is not a non-negative number`);
  }
  const used = mix.filter(([, weight]) => weight > 0);
  if (used.length === 0) throw new RangeError(`fault mix for ${plotType} gives every fault weight 0`);
  return used;
}
