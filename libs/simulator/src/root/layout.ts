import type { PixelBox } from '../simulated-plot';

/** A canvas size in pixels. */
export interface CanvasSize {
  width: number;
  height: number;
}

/** The canvas sizes ROOT users save plots at: TCanvas defaults, squares for 2D maps, a wide strip. */
export const ROOT_CANVAS_SIZES: readonly CanvasSize[] = [
  { width: 400, height: 300 },
  { width: 640, height: 480 },
  { width: 800, height: 600 },
  { width: 600, height: 600 },
  { width: 500, height: 500 },
  { width: 800, height: 400 },
];

export const FONT = 'font-family="DejaVu Sans, sans-serif"';

/** Text sizes of one canvas: ROOT scales text with the pad, so they follow the canvas. */
export interface TextSizes {
  label: number;
  title: number;
  stats: number;
}

export function textSizesFor({ width, height }: CanvasSize): TextSizes {
  const label = Math.max(9, Math.round(0.035 * Math.min(width, height)));
  return { label, title: Math.round(1.3 * label), stats: Math.max(8, Math.round(0.85 * label)) };
}

const NARROW = " .,:;'|!ijlft()[]/-";
const WIDE = 'mwMW%';

/** About how wide DejaVu Sans sets `text`, a little over rather than under (regions must hold the ink). */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const character of text) {
    if (NARROW.includes(character)) em += 0.4;
    else if (WIDE.includes(character)) em += 1;
    else if (/[0-9]/.test(character)) em += 0.66;
    else if (/[A-Z=+<>#]/.test(character)) em += 0.78;
    else em += 0.64;
  }
  return em * size;
}

/** The box around text set with its baseline at `baseline`, starting at `left` (room for a superscript). */
export function textBox(left: number, baseline: number, width: number, size: number): PixelBox {
  return outward({ x: left - 1, y: baseline - 1.2 * size, width: width + 2, height: 1.5 * size });
}

/** The smallest whole-pixel box around `box`. */
export function outward(box: PixelBox): PixelBox {
  const x = Math.floor(box.x);
  const y = Math.floor(box.y);
  return { x, y, width: Math.ceil(box.x + box.width) - x, height: Math.ceil(box.y + box.height) - y };
}

/** The smallest box around all `boxes`. */
export function union(boxes: PixelBox[]): PixelBox {
  const left = Math.min(...boxes.map((box) => box.x));
  const top = Math.min(...boxes.map((box) => box.y));
  const right = Math.max(...boxes.map((box) => box.x + box.width));
  const bottom = Math.max(...boxes.map((box) => box.y + box.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** `box` cut to the canvas. */
export function clip(box: PixelBox, { width, height }: CanvasSize): PixelBox {
  const left = Math.max(0, box.x);
  const top = Math.max(0, box.y);
  return {
    x: left,
    y: top,
    width: Math.max(0, Math.min(width, box.x + box.width) - left),
    height: Math.max(0, Math.min(height, box.y + box.height) - top),
  };
}

export function intersects(a: PixelBox, b: PixelBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
