import type { ImageListItem, LabelBatchRequestDto, PaletteEntry } from '@hydra/contracts';

/**
 * The Labeler's keyboard and paint rules, pure: which key does what, how a click or a Shift-click
 * paints, what "accept the model" paints, and the batch an Enter sends.
 */

/** The image id → the label painted on it (not yet stored). */
export type Paint = Record<string, string>;

/** What a key press asks for. */
export type KeyAction =
  | { kind: 'select'; label: string }
  | { kind: 'accept-model' }
  | { kind: 'apply' }
  | { kind: 'undo' }
  | { kind: 'clear' };

/** A key press as the page sees it (a KeyboardEvent's fields). */
export interface KeyPress {
  key: string;
  /** `Digit1`…: the number keys whatever Shift or the layout make of `key`. */
  code?: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
}

/** The key that accepts the model's verdicts for the page's unpainted images (unless a palette hotkey takes it). */
export const ACCEPT_KEY = 'a';

/** The number key of palette entry `index` (1…9, then 0 for the tenth); null past ten. */
export function numberKeyOf(index: number): string | null {
  if (index < 9) return String(index + 1);
  return index === 9 ? '0' : null;
}

function digitOf(press: KeyPress): string | null {
  if (/^Digit[0-9]$/.test(press.code ?? '')) return (press.code as string).slice(5);
  if (/^Numpad[0-9]$/.test(press.code ?? '')) return (press.code as string).slice(6);
  return /^[0-9]$/.test(press.key) ? press.key : null;
}

/** The label a key picks: a number key by palette position, else the palette's own hotkey (case-insensitive). */
export function labelForKey(press: KeyPress, palette: readonly PaletteEntry[]): string | null {
  const digit = digitOf(press);
  if (digit !== null) {
    const index = digit === '0' ? 9 : Number(digit) - 1;
    return palette[index]?.label ?? null;
  }
  const key = press.key.toLowerCase();
  return palette.find((entry) => entry.hotkey?.toLowerCase() === key)?.label ?? null;
}

/** What a key press means on the Labeler; null for keys it leaves alone. */
export function actionForKey(press: KeyPress, palette: readonly PaletteEntry[]): KeyAction | null {
  const modified = press.ctrlKey === true || press.metaKey === true;
  if (modified) return press.key.toLowerCase() === 'z' ? { kind: 'undo' } : null;
  if (press.altKey) return null;
  if (press.key === 'Enter') return { kind: 'apply' };
  if (press.key === 'Escape') return { kind: 'clear' };
  const label = labelForKey(press, palette);
  if (label !== null) return { kind: 'select', label };
  if (press.key.toLowerCase() === ACCEPT_KEY) return { kind: 'accept-model' };
  return null;
}

export interface PaintResult {
  paint: Paint;
  /** Where the next Shift-click's range starts. */
  anchor: number | null;
}

/**
 * A click on the image at `index` with `label`: paints it (a second click with the same label
 * takes the paint off); with Shift, paints every image from the last painted one to it.
 */
export function paintAt(
  items: readonly Pick<ImageListItem, 'id'>[],
  paint: Paint,
  anchor: number | null,
  index: number,
  label: string,
  shift: boolean,
): PaintResult {
  const target = items[index];
  if (!target) return { paint, anchor };
  const next: Paint = { ...paint };
  if (shift && anchor !== null && anchor < items.length) {
    const [from, to] = anchor <= index ? [anchor, index] : [index, anchor];
    for (let position = from; position <= to; position++)
      next[(items[position] as { id: string }).id] = label;
    return { paint: next, anchor: index };
  }
  if (next[target.id] === label) {
    delete next[target.id];
    return { paint: next, anchor: index };
  }
  next[target.id] = label;
  return { paint: next, anchor: index };
}

/**
 * Paints the model's latest verdict on every image not painted yet and not already labeled with
 * that verdict; verdicts outside the palette (or missing) are left for a person.
 */
export function acceptModel(
  items: readonly Pick<ImageListItem, 'id' | 'label' | 'latestVerdict'>[],
  paint: Paint,
  palette: readonly PaletteEntry[],
): Paint {
  const labels = new Set(palette.map((entry) => entry.label));
  const next: Paint = { ...paint };
  for (const item of items) {
    const verdict = item.latestVerdict?.verdict;
    if (next[item.id] !== undefined || !verdict || !labels.has(verdict) || item.label === verdict) continue;
    next[item.id] = verdict;
  }
  return next;
}

/** A batch about to be sent; kept until stored so a retry reuses its id. */
export interface PendingBatch {
  batch: LabelBatchRequestDto;
  /** The batch's items as text: the same paint gives the same signature. */
  signature: string;
}

/**
 * The batch for the painted images, in page order (paint on images no longer shown is dropped);
 * null when nothing is painted. The same paint as `pending` keeps its batch id, so a retry after a
 * failure (or a lost reply) is harmless; changed paint gets `newBatchId`.
 */
export function buildBatch(
  items: readonly Pick<ImageListItem, 'id' | 'label'>[],
  paint: Paint,
  pending: PendingBatch | null,
  newBatchId: () => string,
): PendingBatch | null {
  const batchItems = items.flatMap((item) => {
    const label = paint[item.id];
    return label === undefined ? [] : [{ imageId: item.id, label }];
  });
  if (batchItems.length === 0) return null;
  const signature = JSON.stringify(batchItems);
  if (pending && pending.signature === signature) return pending;
  return { batch: { batchId: newBatchId(), items: batchItems }, signature };
}

/** Black or white, whichever reads better on `colour` (`#rrggbb`). */
export function textColourOn(colour: string): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (!match) return '#fff';
  const [r, g, b] = match.slice(1).map((part) => {
    const channel = parseInt(part, 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.4 ? '#111' : '#fff';
}
