import { Random } from '../random';
import type { PlotRequest, SimulatedPlot } from '../simulated-plot';
import { layoutFrame, renderRootPng } from './frame';
import { pickRootFault } from './faults';
import { faultSpanBox, histogramSvg, poissonCounts, stats1D } from './histogram';
import { drawLook, type RootStyleOptions } from './look';
import { type CanvasSize, textSizesFor, textWidth } from './layout';
import { statsBoxPlace, statsBoxSvg } from './overlays';
import type { Scale, ScaleTick } from './scale';

/** Each trigger bit's share of the rate, as the trigger menu sets it (the classic renderer's menu). */
const MENU = [1, 0.9, 0.75, 0.7, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.3, 0.25, 0.2, 0.15, 0.1];
const TITLES = ['Trigger bits', 'L1 trigger bits', 'Trigger bit rates, run %'];

/** Events per trigger bit in ROOT's look; a bit goes missing or runs away. */
export async function rootTriggerBits(
  seed: number,
  { label, drift }: PlotRequest,
  options: RootStyleOptions,
): Promise<SimulatedPlot> {
  const random = new Random(seed);
  const look = drawLook(random, options, false);
  const title = random.pick(TITLES).replace('%', String(look.runNumber));
  const goodRate = random.between(2_000, 5_000) * (1 - 0.1 * drift);
  const countSeed = random.integer(0, 2 ** 32);

  const faultRandom = new Random(seed ^ 0x5bd1e995);
  const { fault, level } = pickRootFault(faultRandom, 'Trigger_bits', label, options);
  const rate = fault === 'empty' ? 0 : fault === 'low-statistics' ? faultRandom.between(0.5, 3) : goodRate;
  // A subtle missing bit is a rare one, a gross one a common one; a runaway bit can be any but bit 0.
  const faultyBit =
    fault === 'dead-bit'
      ? level?.severity === 'subtle'
        ? faultRandom.integer(10, MENU.length)
        : faultRandom.integer(1, 8)
      : faultRandom.integer(1, MENU.length);
  const expectedGood = MENU.map((share) => rate * share);
  const expected = expectedGood.map((value, bit) =>
    bit === faultyBit && (fault === 'dead-bit' || fault === 'hot-bit')
      ? value * (level?.magnitude ?? 1)
      : value,
  );
  const counts = poissonCounts(countSeed, expected);

  const top = Math.max(...expectedGood);
  const yScale: Scale = look.logScale
    ? { low: 0.5, high: Math.max(10, top * 4), log: true }
    : { low: 0, high: Math.max(1, 1.3 * top + 3 * Math.sqrt(top) + 1), log: false };
  const frame = layoutFrame(
    {
      size: look.size,
      title,
      xTitle: 'trigger bit',
      yTitle: 'events',
      xTicks: bitTicks(look.size),
      yScale,
      rightExtra: 0,
    },
    look.background,
  );
  const gap = Math.max(1, Math.round(frame.area.width / MENU.length / 8));
  const statsBox = look.statsBox
    ? statsBoxPlace(frame, 'hTrigBits', ['Entries', 'Mean', 'Std Dev'], false)
    : null;
  const bits = MENU.map((_, bit) => bit);
  return {
    plotType: 'Trigger_bits',
    style: 'root',
    label,
    fault,
    ...(level ? { faultLevel: level } : {}),
    png: await renderRootPng(
      frame,
      histogramSvg(frame, yScale, counts, look, gap),
      statsBox ? statsBoxSvg(frame, statsBox, 'hTrigBits', stats1D(counts, bits)) : '',
    ),
    width: look.size.width,
    height: look.size.height,
    faultBoxes:
      label === 'Bad'
        ? faultSpanBox(
            frame,
            { counts: poissonCounts(countSeed, expectedGood), expected: expectedGood },
            { counts, expected },
          )
        : [],
    frame: { ...frame.regions, statsBox, legend: null, palette: null },
  };
}

/** A tick per bit, labelled on every bit where the labels fit and on even bits where they would touch. */
function bitTicks(size: CanvasSize): ScaleTick[] {
  const labelSize = textSizesFor(size).label;
  const every = (0.8 * size.width) / MENU.length > textWidth('15', labelSize) * 1.6 ? 1 : 2;
  return MENU.map((_, bit) => ({
    at: (bit + 0.5) / MENU.length,
    text: bit % every === 0 ? String(bit) : '',
  }));
}
