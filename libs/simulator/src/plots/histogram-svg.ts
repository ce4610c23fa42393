import type { PixelBox } from '../simulated-plot';

/** A ROOT-style filled histogram (or bar chart) of `values` inside `area`; returns the SVG and the bin geometry. */
export function barsSvg(area: PixelBox, values: ArrayLike<number>, maximum: number, colour: string, gap = 0) {
  const binWidth = area.width / values.length;
  const bars: string[] = [];
  for (let index = 0; index < values.length; index++) {
    const height = (Math.max(0, values[index] as number) / maximum) * area.height;
    if (height <= 0) continue;
    const x = area.x + index * binWidth + gap / 2;
    bars.push(
      `<rect x="${x.toFixed(2)}" y="${(area.y + area.height - height).toFixed(2)}" width="${(binWidth - gap + 0.2).toFixed(2)}" height="${height.toFixed(2)}" fill="${colour}" stroke="#1f3a93" stroke-width="0.4"/>`,
    );
  }
  return { svg: bars.join(''), binWidth };
}
