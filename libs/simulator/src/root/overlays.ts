import { escapeXml } from '../canvas';
import { type PaletteName, paletteColour } from '../palette';
import type { PixelBox } from '../simulated-plot';
import type { Frame } from './frame';
import { tickLabel, tickWidth } from './frame';
import { clip, FONT, outward, textBox, textWidth, union } from './layout';
import { type Scale, scaleTicks } from './scale';

/** One line of a stats box. */
export interface StatsLine {
  name: string;
  value: string;
}

/** Where ROOT's stats box goes: top right, over the frame's corner; its size depends on the line names only. */
export function statsBoxPlace(
  frame: Frame,
  histogramName: string,
  names: string[],
  insideFrame: boolean,
): PixelBox {
  const { stats } = frame.text;
  const widest = Math.max(
    textWidth(histogramName, stats),
    ...names.map((name) => textWidth(name, stats) + textWidth(VALUE_ROOM, stats) + 1.5 * stats),
  );
  const width = Math.ceil(widest + 0.8 * stats);
  const height = Math.ceil((names.length + 1) * 1.3 * stats + 0.4 * stats);
  const right = insideFrame
    ? frame.area.x + frame.area.width - 3
    : frame.size.width - Math.max(2, Math.round(0.01 * frame.size.width));
  const top = insideFrame ? frame.area.y + 3 : frame.area.y - Math.round(0.3 * frame.text.title);
  return clip({ x: right - width, y: top, width, height }, frame.size);
}

/** Values are right-aligned in room for this many digits, so a fault never moves the box. */
const VALUE_ROOM = '0000000';

/** The stats box at `box`: the histogram's name, then one `name value` line each (Entries, Mean, Std Dev…). */
export function statsBoxSvg(frame: Frame, box: PixelBox, histogramName: string, lines: StatsLine[]): string {
  const { stats } = frame.text;
  const text = (content: string, x: number, row: number, anchor: string) =>
    `<text x="${x}" y="${(box.y + 1.15 * stats + row * 1.3 * stats).toFixed(1)}" ${FONT} font-size="${stats}" text-anchor="${anchor}">${escapeXml(content)}</text>`;
  return [
    `<rect x="${box.x + 0.5}" y="${box.y + 0.5}" width="${box.width - 1}" height="${box.height - 1}" fill="white" stroke="black" stroke-width="1"/>`,
    text(histogramName, box.x + box.width / 2, 0, 'middle'),
    ...lines.flatMap((line, index) => [
      text(line.name, box.x + 0.4 * stats, index + 1, 'start'),
      text(line.value, box.x + box.width - 0.4 * stats, index + 1, 'end'),
    ]),
  ].join('');
}

/** One entry of a legend: a filled swatch, or a line (dashed for a reference). */
export interface LegendEntry {
  text: string;
  fill: string;
  stroke: string;
  dashed: boolean;
}

/** A TLegend in the frame's top-left corner. */
export function legendSvg(frame: Frame, entries: LegendEntry[]) {
  const { stats } = frame.text;
  const pitch = 1.5 * stats;
  const swatch = 2 * stats;
  const width = Math.ceil(
    Math.max(...entries.map((entry) => textWidth(entry.text, stats))) + swatch + 1.6 * stats,
  );
  const height = Math.ceil(entries.length * pitch + 0.6 * stats);
  const x = frame.area.x + Math.round(0.03 * frame.area.width);
  const y = frame.area.y + Math.round(0.03 * frame.area.height);
  const svg = [
    `<rect x="${x + 0.5}" y="${y + 0.5}" width="${width - 1}" height="${height - 1}" fill="white" stroke="black" stroke-width="1"/>`,
    ...entries.map((entry, index) => {
      const middle = y + 0.3 * stats + (index + 0.5) * pitch;
      const sample =
        entry.fill === 'none'
          ? `<line x1="${x + 0.4 * stats}" y1="${middle}" x2="${x + 0.4 * stats + swatch}" y2="${middle}" stroke="${entry.stroke}" stroke-width="1.5"${entry.dashed ? ' stroke-dasharray="4 3"' : ''}/>`
          : `<rect x="${x + 0.4 * stats}" y="${middle - 0.4 * stats}" width="${swatch}" height="${0.8 * stats}" fill="${entry.fill}" stroke="${entry.stroke}"/>`;
      return `${sample}<text x="${x + swatch + 0.8 * stats}" y="${(middle + 0.35 * stats).toFixed(1)}" ${FONT} font-size="${stats}">${escapeXml(entry.text)}</text>`;
    }),
  ].join('');
  return { svg, box: clip({ x, y, width, height }, frame.size) };
}

/** Room right of the frame that a colour bar and its labels need. */
export function paletteWidth(canvasWidth: number, scale: Scale, labelSize: number): number {
  const widest = Math.max(0, ...scaleTicks(scale).map((tick) => tickWidth(tick, labelSize)));
  return Math.round(0.02 * canvasWidth) + barWidth(canvasWidth) + Math.ceil(0.3 * labelSize + widest) + 4;
}

/** The z-axis colour bar right of the frame, labelled along `scale`. */
export function paletteSvg(frame: Frame, scale: Scale, palette: PaletteName) {
  const { area } = frame;
  const { label } = frame.text;
  const left = area.x + area.width + Math.round(0.02 * frame.size.width);
  const width = barWidth(frame.size.width);
  const bottom = area.y + area.height;
  const steps = 64;
  const parts: string[] = [];
  for (let step = 0; step < steps; step++) {
    const top = bottom - Math.round(((step + 1) * area.height) / steps);
    const low = bottom - Math.round((step * area.height) / steps);
    parts.push(
      `<rect x="${left}" y="${top}" width="${width}" height="${low - top}" fill="${paletteColour(palette, (step + 0.5) / steps)}" shape-rendering="crispEdges"/>`,
    );
  }
  parts.push(
    `<rect x="${left - 0.5}" y="${area.y - 0.5}" width="${width + 1}" height="${area.height + 1}" fill="none" stroke="black" stroke-width="1"/>`,
  );
  const boxes: PixelBox[] = [
    outward({ x: left - 1, y: area.y - 1, width: width + 2, height: area.height + 2 }),
  ];
  for (const tick of scaleTicks(scale)) {
    if (tick.at < 0 || tick.at > 1) continue;
    const baseline = Math.round(bottom - tick.at * area.height + 0.35 * label);
    const x = left + width + 0.3 * label;
    parts.push(tickLabel(tick, x, baseline, label, 'start'));
    boxes.push(textBox(x, baseline, tickWidth(tick, label), label));
  }
  return { svg: parts.join(''), box: clip(union(boxes), frame.size) };
}

function barWidth(canvasWidth: number): number {
  return Math.max(8, Math.round(0.03 * canvasWidth));
}
