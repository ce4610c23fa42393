import sharp from 'sharp';
import { escapeXml } from '../canvas';
import type { FrameRegions, PixelBox } from '../simulated-plot';
import {
  type CanvasSize,
  clip,
  FONT,
  textBox,
  textSizesFor,
  textWidth,
  type TextSizes,
  union,
} from './layout';
import { type Scale, type ScaleTick, scaleTicks } from './scale';

/** What goes around the data of a ROOT-like plot. */
export interface FrameSpec {
  size: CanvasSize;
  title: string;
  xTitle: string;
  yTitle: string;
  xTicks: ScaleTick[];
  yScale: Scale;
  /** Room to keep right of the frame (a 2D plot's colour bar), beyond the usual margin. */
  rightExtra: number;
}

/** A laid-out frame: where the data goes, and the SVG to draw before and after the data. */
export interface Frame {
  size: CanvasSize;
  text: TextSizes;
  /** Where the data is drawn, whole pixels; the frame line lies just outside it. */
  area: PixelBox;
  under: string;
  over: string;
  regions: Pick<FrameRegions, 'plotArea' | 'title' | 'xAxis' | 'yAxis'>;
}

/** Lays out a ROOT-like frame: title on top, ticks inside the frame, axis titles at the axis ends. */
export function layoutFrame(spec: FrameSpec, background: string): Frame {
  const { size } = spec;
  const text = textSizesFor(size);
  const { label, title } = text;
  const yTicks = scaleTicks(spec.yScale);
  const widest = Math.max(0, ...yTicks.map((tick) => tickWidth(tick, label)));
  const lastXLabel = spec.xTicks.at(-1);
  const left = Math.round(Math.max(0.1 * size.width, widest + 2.2 * label + 4));
  const right = Math.round(
    spec.rightExtra || Math.max(0.05 * size.width, lastXLabel ? tickWidth(lastXLabel, label) / 2 + 4 : 0),
  );
  const top = Math.round(2 * title);
  const bottom = Math.round(3.2 * label);
  const area = { x: left, y: top, width: size.width - left - right, height: size.height - top - bottom };
  const areaBottom = area.y + area.height;
  const tickLength = Math.round(0.02 * Math.min(size.width, size.height)) + 2;

  const over: string[] = [
    `<rect x="${area.x - 0.5}" y="${area.y - 0.5}" width="${area.width + 1}" height="${area.height + 1}" fill="none" stroke="black" stroke-width="1"/>`,
  ];
  const xBoxes: PixelBox[] = [];
  for (const tick of spec.xTicks) {
    if (tick.at < 0 || tick.at > 1) continue;
    const column = area.x + Math.min(area.width - 1, Math.round(tick.at * area.width)) + 0.5;
    over.push(line(column, areaBottom, column, areaBottom - tickLength));
    const width = tickWidth(tick, label);
    const baseline = Math.round(areaBottom + 1.3 * label);
    over.push(tickLabel(tick, column, baseline, label, 'middle'));
    xBoxes.push(textBox(column - width / 2, baseline, width, label));
  }
  const xTitleWidth = textWidth(spec.xTitle, label);
  const xTitleBaseline = Math.round(areaBottom + 2.6 * label);
  over.push(textSvg(spec.xTitle, area.x + area.width, xTitleBaseline, label, 'end'));
  xBoxes.push(textBox(area.x + area.width - xTitleWidth, xTitleBaseline, xTitleWidth, label));

  const yBoxes: PixelBox[] = [];
  for (const tick of yTicks) {
    if (tick.at < 0 || tick.at > 1) continue;
    const row = areaBottom - Math.max(1, Math.min(area.height, Math.round(tick.at * area.height))) + 0.5;
    over.push(line(area.x, row, area.x + tickLength, row));
    const width = tickWidth(tick, label);
    const baseline = Math.round(row + 0.35 * label);
    over.push(tickLabel(tick, area.x - 0.4 * label, baseline, label, 'end'));
    yBoxes.push(textBox(area.x - 0.4 * label - width, baseline, width, label));
  }
  const yTitleX = Math.round(left - widest - 0.9 * label);
  const yTitleWidth = textWidth(spec.yTitle, label);
  over.push(
    `<text x="${yTitleX}" y="${area.y}" ${FONT} font-size="${label}" text-anchor="end" transform="rotate(-90 ${yTitleX} ${area.y})">${escapeXml(spec.yTitle)}</text>`,
  );
  yBoxes.push({ x: yTitleX - label - 1, y: area.y - 1, width: 1.3 * label + 2, height: yTitleWidth + 2 });

  const titleWidth = textWidth(spec.title, title);
  const titleBaseline = Math.round(1.25 * title);
  over.push(textSvg(spec.title, size.width / 2, titleBaseline, title, 'middle'));

  return {
    size,
    text,
    area,
    under: `<rect width="100%" height="100%" fill="${background}"/><rect x="${area.x}" y="${area.y}" width="${area.width}" height="${area.height}" fill="white"/>`,
    over: over.join(''),
    regions: {
      plotArea: { x: area.x - 1, y: area.y - 1, width: area.width + 2, height: area.height + 2 },
      title: clip(textBox(size.width / 2 - titleWidth / 2, titleBaseline, titleWidth, title), size),
      xAxis: clip(union(xBoxes), size),
      yAxis: clip(union(yBoxes), size),
    },
  };
}

/** Bin `index` of `count` across `length` pixels from `start`: whole-pixel edges, so a bin never bleeds into the next. */
export function binEdge(start: number, length: number, count: number, index: number): number {
  return start + Math.round((index * length) / count);
}

export async function renderRootPng(frame: Frame, data: string, overlays: string): Promise<Buffer> {
  const { width, height } = frame.size;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${frame.under}<g shape-rendering="crispEdges">${data}</g>${frame.over}${overlays}</svg>`;
  return sharp(Buffer.from(svg)).removeAlpha().png({ compressionLevel: 6 }).toBuffer();
}

export function textSvg(
  content: string,
  x: number,
  baseline: number,
  size: number,
  anchor: 'start' | 'middle' | 'end',
): string {
  return `<text x="${x}" y="${baseline}" ${FONT} font-size="${size}" text-anchor="${anchor}">${escapeXml(content)}</text>`;
}

export function tickLabel(
  tick: ScaleTick,
  x: number,
  baseline: number,
  size: number,
  anchor: 'start' | 'middle' | 'end',
): string {
  const exponent =
    tick.exponent === undefined
      ? ''
      : `<tspan dy="${-0.45 * size}" font-size="${Math.round(0.7 * size)}">${tick.exponent}</tspan>`;
  return `<text x="${x}" y="${baseline}" ${FONT} font-size="${size}" text-anchor="${anchor}">${escapeXml(tick.text)}${exponent}</text>`;
}

export function tickWidth(tick: ScaleTick, size: number): number {
  return (
    textWidth(tick.text, size) + (tick.exponent === undefined ? 0 : textWidth(tick.exponent, 0.7 * size))
  );
}

function line(x1: number, y1: number, x2: number, y2: number): string {
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="black" stroke-width="1" shape-rendering="crispEdges"/>`;
}
