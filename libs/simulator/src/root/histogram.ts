import { Random } from '../random';
import type { PixelBox } from '../simulated-plot';
import { binEdge, type Frame } from './frame';
import type { RootLook } from './look';
import type { StatsLine } from './overlays';
import { fractionAlong, type Scale } from './scale';

/** One Poisson count per expected value; two calls with one seed agree wherever the expectations do. */
export function poissonCounts(seed: number, expected: readonly number[]): number[] {
  const random = new Random(seed);
  return expected.map((mean) => random.alignedPoisson(mean));
}

/** How many pixel rows a bin of `value` fills (clipped to the frame, as ROOT clips at a fixed maximum). */
function barHeight(frame: Frame, scale: Scale, value: number): number {
  const fraction = fractionAlong(scale, value);
  return Number.isFinite(fraction) ? Math.round(Math.min(1, Math.max(0, fraction)) * frame.area.height) : 0;
}

/** A histogram in `look`: filled bins (with `gap` pixels each side: a bar chart) and their outline. */
export function histogramSvg(
  frame: Frame,
  scale: Scale,
  values: readonly number[],
  look: RootLook,
  gap = 0,
): string {
  const { area } = frame;
  const bottom = area.y + area.height;
  const edge = (index: number) => binEdge(area.x, area.width, values.length, index);
  const heights = values.map((value) => barHeight(frame, scale, value));
  if (gap > 0) {
    const fill = look.fill === 'none' ? 'white' : look.fill;
    return heights
      .map((height, index) => {
        if (height === 0) return '';
        const x = edge(index) + gap;
        const width = edge(index + 1) - gap - x;
        return `<rect x="${x + 0.5}" y="${bottom - height + 0.5}" width="${width - 1}" height="${height - 1}" fill="${fill}" stroke="${look.line}" stroke-width="1"/>`;
      })
      .join('');
  }
  const bars =
    look.fill === 'none'
      ? ''
      : heights
          .map((height, index) =>
            height === 0
              ? ''
              : `<rect x="${edge(index)}" y="${bottom - height}" width="${edge(index + 1) - edge(index)}" height="${height}" fill="${look.fill}"/>`,
          )
          .join('');
  return bars + stepSvg(frame, heights, look.line, look.lineWidth, false);
}

/** The expected shape as a dashed red line, as a reference from a good run is overlaid. */
export function referenceSvg(frame: Frame, scale: Scale, expected: readonly number[]): string {
  return stepSvg(
    frame,
    expected.map((value) => barHeight(frame, scale, value)),
    '#d62728',
    1,
    true,
  );
}

/** The outline along bin tops, on whole pixels inside the frame so that it changes only where bins do. */
function stepSvg(
  frame: Frame,
  heights: readonly number[],
  colour: string,
  width: number,
  dashed: boolean,
): string {
  const { area } = frame;
  const bottom = area.y + area.height;
  const half = width / 2;
  const x = (index: number) =>
    Math.min(area.x + area.width - half, binEdge(area.x, area.width, heights.length, index) + half);
  const y = (height: number) => Math.max(area.y + half, bottom - Math.max(height, 1) + half);
  const points = [`M${x(0)} ${bottom - half}`];
  heights.forEach((height, index) =>
    points.push(`L${x(index)} ${y(height)}`, `L${x(index + 1)} ${y(height)}`),
  );
  points.push(`L${x(heights.length)} ${bottom - half}`);
  const dash = dashed ? ' stroke-dasharray="6 4"' : '';
  return `<path d="${points.join('')}" fill="none" stroke="${colour}" stroke-width="${width}"${dash}/>`;
}

/**
 * Where a fault shows in a 1D plot: the span of bins whose drawn counts differ from the good plot's or
 * whose expectation moved by more than half a standard deviation, over the frame's full height.
 */
export function faultSpanBox(
  frame: Frame,
  good: { counts: readonly number[]; expected: readonly number[] },
  bad: { counts: readonly number[]; expected: readonly number[] },
): PixelBox[] {
  const changed = good.counts
    .map((count, index) => {
      const expectedGood = good.expected[index] as number;
      const shift = Math.abs((bad.expected[index] as number) - expectedGood);
      return count !== bad.counts[index] || shift > 0.5 * Math.sqrt(Math.max(1, expectedGood));
    })
    .flatMap((isChanged, index) => (isChanged ? [index] : []));
  if (changed.length === 0) return [];
  const { area } = frame;
  // Two pixels either side hold the outline's steps into and out of the changed bins.
  const left = Math.max(area.x, binEdge(area.x, area.width, good.counts.length, changed[0] as number) - 2);
  const right = Math.min(
    area.x + area.width,
    binEdge(area.x, area.width, good.counts.length, (changed.at(-1) as number) + 1) + 2,
  );
  return [{ x: left, y: area.y, width: right - left, height: area.height }];
}

/** Entries, Mean, Std Dev of binned counts, formatted as ROOT prints them. */
export function stats1D(counts: readonly number[], centres: readonly number[]): StatsLine[] {
  const entries = counts.reduce((sum, count) => sum + count, 0);
  const mean = entries
    ? counts.reduce((sum, count, index) => sum + count * (centres[index] as number), 0) / entries
    : 0;
  const variance = entries
    ? counts.reduce((sum, count, index) => sum + count * ((centres[index] as number) - mean) ** 2, 0) /
      entries
    : 0;
  return [
    { name: 'Entries', value: String(entries) },
    { name: 'Mean', value: formatStat(mean) },
    { name: 'Std Dev', value: formatStat(Math.sqrt(variance)) },
  ];
}

export function formatStat(value: number): string {
  return value === 0 ? '0' : value.toPrecision(4);
}
