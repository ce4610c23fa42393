import { classicFrame, frameSvg, linearTicks, renderPng } from '../canvas';
import type { Random } from '../random';
import { pickFault, type PixelBox, type PlotRequest, type SimulatedPlot } from '../simulated-plot';
import { barsSvg } from './histogram-svg';

const BITS = 16;
const AREA: PixelBox = { x: 50, y: 30, width: 330, height: 230 };
/** Each trigger bit's share of the rate, as the trigger menu sets it. */
const MENU = [1, 0.9, 0.75, 0.7, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.3, 0.25, 0.2, 0.15, 0.1];

/** Events per trigger bit: a fixed menu pattern; a bit that died or fires far too often is Bad. */
export async function triggerBits(random: Random, { label, drift }: PlotRequest): Promise<SimulatedPlot> {
  const fault = pickFault(random, label, ['dead-bit', 'hot-bit']);
  const rate =
    fault === 'empty'
      ? 0
      : fault === 'low-statistics'
        ? random.between(0.5, 3)
        : random.between(2_000, 5_000) * (1 - 0.1 * drift);
  const counts = MENU.map((share) => random.poisson(rate * share));
  const faultyBit = random.integer(1, BITS);
  if (fault === 'dead-bit') counts[faultyBit] = 0;
  if (fault === 'hot-bit') counts[faultyBit] = Math.round((counts[0] as number) * random.between(1.8, 3));
  const maximum = Math.max(1, ...counts) * 1.1;
  const { svg, binWidth } = barsSvg(AREA, counts, maximum, '#e0a87f', 4);
  const ticks = Array.from({ length: BITS }, (_, bit) => ({ at: (bit + 0.5) / BITS, text: String(bit) }));
  const body =
    svg + frameSvg(AREA, 'Trigger bits', 'trigger bit', 'events', ticks, linearTicks(0, maximum, 4));
  const faultBoxes: PixelBox[] =
    fault === 'dead-bit' || fault === 'hot-bit'
      ? [{ x: AREA.x + faultyBit * binWidth, y: AREA.y, width: binWidth, height: AREA.height }]
      : [];
  return {
    plotType: 'Trigger_bits',
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
