import { Random } from '../random';
import type { PlotRequest, SimulatedPlot } from '../simulated-plot';
import { layoutFrame, renderRootPng } from './frame';
import { pickRootFault } from './faults';
import { faultSpanBox, histogramSvg, poissonCounts, referenceSvg, stats1D } from './histogram';
import { drawLook, type RootStyleOptions } from './look';
import { legendSvg, statsBoxPlace, statsBoxSvg } from './overlays';
import { type Scale, scaleTicks } from './scale';

const BINS = 100;
const LOW_NS = 0;
const HIGH_NS = 200;
const NOMINAL_PEAK_NS = 80;
const NOMINAL_WIDTH_NS = 6;
const TITLES = ['CDC hit time', 'CDC drift time', 'CDC hit time, run %'];

/** Hit times relative to the trigger in ROOT's look; faults move, split or widen the peak by a few σ. */
export async function rootTimingHistogram(
  seed: number,
  { label, drift }: PlotRequest,
  options: RootStyleOptions,
): Promise<SimulatedPlot> {
  const random = new Random(seed);
  const look = drawLook(random, options, false);
  const title = random.pick(TITLES).replace('%', String(look.runNumber));
  const peak = NOMINAL_PEAK_NS + 3 * drift + random.gaussian();
  const width = NOMINAL_WIDTH_NS * random.between(0.9, 1.1);
  const goodEntries = random.integer(20_000, 60_000);
  const countSeed = random.integer(0, 2 ** 32);

  const faultRandom = new Random(seed ^ 0x5bd1e995);
  const { fault, level } = pickRootFault(faultRandom, 'CDC_timing', label, options);
  const entries =
    fault === 'empty' ? 0 : fault === 'low-statistics' ? faultRandom.integer(3, 25) : goodEntries;
  const sign = faultRandom.pick([-1, 1]);
  const magnitude = level?.magnitude ?? 0;
  const centres = Array.from(
    { length: BINS },
    (_, bin) => LOW_NS + ((bin + 0.5) * (HIGH_NS - LOW_NS)) / BINS,
  );
  const expectedGood = centres.map((time) => expectedHits(entries, time, [[peak, width, 1]]));
  const expected = centres.map((time) =>
    expectedHits(
      entries,
      time,
      fault === 'shifted-peak'
        ? [[peak + sign * magnitude * width, width, 1]]
        : fault === 'split-peak'
          ? [
              [peak - magnitude * width, width, 0.5],
              [peak + magnitude * width, width, 0.5],
            ]
          : fault === 'broadened-peak'
            ? [[peak, width * magnitude, 1]]
            : [[peak, width, 1]],
    ),
  );
  const counts = poissonCounts(countSeed, expected);

  // The axis range comes from the good expectation, so a fault never rescales the plot.
  const top = Math.max(...expectedGood);
  const yScale: Scale = look.logScale
    ? { low: 0.5, high: Math.max(10, top * 4), log: true }
    : { low: 0, high: Math.max(1, 1.3 * top + 3 * Math.sqrt(top) + 1), log: false };
  const frame = layoutFrame(
    {
      size: look.size,
      title,
      xTitle: 'time [ns]',
      yTitle: 'hits / 2 ns',
      xTicks: scaleTicks({ low: LOW_NS, high: HIGH_NS, log: false }),
      yScale,
      rightExtra: 0,
    },
    look.background,
  );
  const statsBox = look.statsBox
    ? statsBoxPlace(frame, 'hTime', ['Entries', 'Mean', 'Std Dev'], false)
    : null;
  const legend = look.reference
    ? legendSvg(frame, [
        { text: `run ${look.runNumber}`, fill: look.fill, stroke: look.line, dashed: false },
        { text: 'reference', fill: 'none', stroke: '#d62728', dashed: true },
      ])
    : null;
  const data =
    histogramSvg(frame, yScale, counts, look) +
    (look.reference ? referenceSvg(frame, yScale, expectedGood) : '');
  const overlays =
    (statsBox ? statsBoxSvg(frame, statsBox, 'hTime', stats1D(counts, centres)) : '') + (legend?.svg ?? '');
  return {
    plotType: 'CDC_timing',
    style: 'root',
    label,
    fault,
    ...(level ? { faultLevel: level } : {}),
    png: await renderRootPng(frame, data, overlays),
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
    frame: { ...frame.regions, statsBox, legend: legend?.box ?? null, palette: null },
  };
}

/** Expected hits in the 2 ns bin at `time`: 80 % in Gaussian peaks [centre, σ, share], 20 % flat background. */
function expectedHits(entries: number, time: number, peaks: [number, number, number][]): number {
  const binWidth = (HIGH_NS - LOW_NS) / BINS;
  let signal = 0;
  for (const [centre, sigma, share] of peaks) {
    signal += (share * Math.exp(-0.5 * ((time - centre) / sigma) ** 2)) / (sigma * Math.sqrt(2 * Math.PI));
  }
  return entries * (0.8 * binWidth * signal + 0.2 / BINS);
}
