import { classicFrame, frameSvg, linearTicks, renderPng } from '../canvas';
import type { Random } from '../random';
import { pickFault, type PixelBox, type PlotRequest, type SimulatedPlot } from '../simulated-plot';
import { barsSvg } from './histogram-svg';

const BINS = 100;
const RANGE_NS: [number, number] = [0, 200];
const AREA: PixelBox = { x: 50, y: 30, width: 330, height: 230 };
const NOMINAL_PEAK_NS = 80;
const NOMINAL_WIDTH_NS = 6;

/** Hit times relative to the trigger: a peak on a flat background; faults move or widen the peak. */
export async function timingHistogram(random: Random, { label, drift }: PlotRequest): Promise<SimulatedPlot> {
  const fault = pickFault(random, label, ['shifted-peak', 'broadened-peak']);
  const entries =
    fault === 'empty'
      ? 0
      : fault === 'low-statistics'
        ? random.integer(3, 25)
        : random.integer(20_000, 60_000);
  // Good behaviour drifts by up to 3 ns over a run; a fault moves the peak 25–60 ns or triples its width.
  let peak = NOMINAL_PEAK_NS + 3 * drift + random.gaussian();
  let width = NOMINAL_WIDTH_NS * random.between(0.9, 1.1);
  if (fault === 'shifted-peak') peak += random.pick([-1, 1]) * random.between(25, 60);
  if (fault === 'broadened-peak') width *= random.between(3, 5);

  const binWidth = (RANGE_NS[1] - RANGE_NS[0]) / BINS;
  const counts = new Float64Array(BINS);
  const signal = 0.8 * entries;
  for (let bin = 0; bin < BINS; bin++) {
    const centre = RANGE_NS[0] + (bin + 0.5) * binWidth;
    const expected =
      (signal * binWidth * Math.exp(-0.5 * ((centre - peak) / width) ** 2)) /
        (width * Math.sqrt(2 * Math.PI)) +
      (0.2 * entries) / BINS;
    counts[bin] = random.poisson(expected);
  }
  const maximum = Math.max(1, ...counts) * 1.1;
  const { svg } = barsSvg(AREA, counts, maximum, '#7fa7e0');
  const body =
    svg +
    frameSvg(
      AREA,
      'CDC hit time',
      'time [ns]',
      'hits',
      linearTicks(RANGE_NS[0], RANGE_NS[1], 5),
      linearTicks(0, maximum, 4),
    );

  const faultBoxes: PixelBox[] = [];
  if (fault === 'shifted-peak' || fault === 'broadened-peak') {
    // Where the peak is, and where it should have been.
    const toX = (time: number) => AREA.x + ((time - RANGE_NS[0]) / (RANGE_NS[1] - RANGE_NS[0])) * AREA.width;
    for (const [centre, halfWidth] of fault === 'shifted-peak'
      ? [
          [peak, 2.5 * width],
          [NOMINAL_PEAK_NS, 2.5 * NOMINAL_WIDTH_NS],
        ]
      : [[peak, 2.5 * width]]) {
      const left = Math.max(AREA.x, toX((centre as number) - (halfWidth as number)));
      const right = Math.min(AREA.x + AREA.width, toX((centre as number) + (halfWidth as number)));
      if (right > left) faultBoxes.push({ x: left, y: AREA.y, width: right - left, height: AREA.height });
    }
  }
  return {
    plotType: 'CDC_timing',
    style: 'classic',
    label,
    fault,
    png: await renderPng(body),
    width: 400,
    height: 300,
    faultBoxes,
    frame: classicFrame(AREA),
  };
}
