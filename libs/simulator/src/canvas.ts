import sharp from 'sharp';
import type { FrameRegions, PixelBox } from './simulated-plot';

/** Every simulated plot is a 400 × 300 canvas, like a small ROOT TCanvas. */
export const CANVAS_WIDTH = 400;
export const CANVAS_HEIGHT = 300;

const FONT = 'font-family="DejaVu Sans, sans-serif"';

export interface Tick {
  /** Where along the axis, 0…1. */
  at: number;
  text: string;
}

/** The frame, title, axis titles and ticks around a plot area `box`. */
export function frameSvg(
  box: PixelBox,
  title: string,
  xTitle: string,
  yTitle: string,
  xTicks: Tick[],
  yTicks: Tick[],
): string {
  const bottom = box.y + box.height;
  const parts = [
    `<text x="${CANVAS_WIDTH / 2}" y="18" ${FONT} font-size="13" text-anchor="middle">${escapeXml(title)}</text>`,
    `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" fill="none" stroke="black" stroke-width="1"/>`,
    `<text x="${box.x + box.width}" y="${bottom + 30}" ${FONT} font-size="10" text-anchor="end">${escapeXml(xTitle)}</text>`,
    `<text x="12" y="${box.y}" ${FONT} font-size="10" text-anchor="end" transform="rotate(-90 12 ${box.y})">${escapeXml(yTitle)}</text>`,
  ];
  for (const tick of xTicks) {
    const x = box.x + tick.at * box.width;
    parts.push(`<line x1="${x}" y1="${bottom}" x2="${x}" y2="${bottom - 5}" stroke="black"/>`);
    parts.push(
      `<text x="${x}" y="${bottom + 13}" ${FONT} font-size="9" text-anchor="middle">${escapeXml(tick.text)}</text>`,
    );
  }
  for (const tick of yTicks) {
    const y = bottom - tick.at * box.height;
    parts.push(`<line x1="${box.x}" y1="${y}" x2="${box.x + 5}" y2="${y}" stroke="black"/>`);
    parts.push(
      `<text x="${box.x - 3}" y="${y + 3}" ${FONT} font-size="9" text-anchor="end">${escapeXml(tick.text)}</text>`,
    );
  }
  return parts.join('');
}

/** Where `frameSvg` draws around `box`: the margins beside the frame, generously. */
export function classicFrame(box: PixelBox, palette: PixelBox | null = null): FrameRegions {
  const bottom = box.y + box.height;
  const xAxisLeft = Math.max(0, box.x - 20);
  return {
    plotArea: { x: box.x - 1, y: box.y - 1, width: box.width + 2, height: box.height + 2 },
    title: { x: 0, y: 0, width: CANVAS_WIDTH, height: box.y - 1 },
    xAxis: {
      x: xAxisLeft,
      y: bottom + 1,
      width: Math.min(CANVAS_WIDTH, box.x + box.width + 20) - xAxisLeft,
      height: CANVAS_HEIGHT - bottom - 1,
    },
    yAxis: { x: 0, y: box.y - 8, width: box.x - 1, height: box.height + 16 },
    statsBox: null,
    legend: null,
    palette,
  };
}

/** Evenly spaced ticks labelled from `low` to `high`. */
export function linearTicks(
  low: number,
  high: number,
  count: number,
  format = (value: number) => String(Math.round(value)),
): Tick[] {
  return Array.from({ length: count + 1 }, (_, index) => ({
    at: index / count,
    text: format(low + ((high - low) * index) / count),
  }));
}

export async function renderPng(body: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${CANVAS_WIDTH}" height="${CANVAS_HEIGHT}"><rect width="100%" height="100%" fill="white"/>${body}</svg>`;
  return sharp(Buffer.from(svg)).removeAlpha().png({ compressionLevel: 6 }).toBuffer();
}

/** `text` safe inside SVG markup. */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
