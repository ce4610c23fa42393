import type { ImageListItem, PaletteEntry } from '@hydra/contracts';
import { describe, expect, it } from 'vitest';
import {
  acceptModel,
  actionForKey,
  buildBatch,
  labelForKey,
  numberKeyOf,
  paintAt,
  textColourOn,
} from './labeler-keys';

const palette: PaletteEntry[] = [
  { label: 'Good', colour: '#18a058', hotkey: 'g', excludedFromTraining: false },
  { label: 'Bad', colour: '#d03050', hotkey: 'b', excludedFromTraining: false },
  { label: 'NoData', colour: '#8a8f98', hotkey: null, excludedFromTraining: false },
];

const item = (n: number, verdict: string | null = null, label: string | null = null) =>
  ({
    id: `img-${n}`,
    label,
    latestVerdict: verdict
      ? { verdict, confidence: 0.9, confirmed: true, modelId: null, outputs: {}, classifiedAt: '' }
      : null,
  }) as Pick<ImageListItem, 'id' | 'label' | 'latestVerdict'>;
const items = Array.from({ length: 10 }, (_, n) => item(n));

describe('keys', () => {
  it('number keys pick the palette by position, letters by hotkey', () => {
    expect(labelForKey({ key: '1' }, palette)).toBe('Good');
    expect(labelForKey({ key: '3' }, palette)).toBe('NoData');
    expect(labelForKey({ key: '4' }, palette)).toBeNull();
    expect(labelForKey({ key: '!', code: 'Digit2' }, palette)).toBe('Bad');
    expect(labelForKey({ key: '1', code: 'Numpad1' }, palette)).toBe('Good');
    expect(labelForKey({ key: 'B' }, palette)).toBe('Bad');
    expect(labelForKey({ key: 'x' }, palette)).toBeNull();
  });

  it('numbers the first ten entries 1…9, 0', () => {
    expect(numberKeyOf(0)).toBe('1');
    expect(numberKeyOf(9)).toBe('0');
    expect(numberKeyOf(10)).toBeNull();
  });

  it('maps Enter, A, Ctrl-Z / Cmd-Z and Escape to actions', () => {
    expect(actionForKey({ key: 'Enter' }, palette)).toEqual({ kind: 'apply' });
    expect(actionForKey({ key: 'a' }, palette)).toEqual({ kind: 'accept-model' });
    expect(actionForKey({ key: 'A' }, palette)).toEqual({ kind: 'accept-model' });
    expect(actionForKey({ key: 'z', ctrlKey: true }, palette)).toEqual({ kind: 'undo' });
    expect(actionForKey({ key: 'z', metaKey: true }, palette)).toEqual({ kind: 'undo' });
    expect(actionForKey({ key: 'Escape' }, palette)).toEqual({ kind: 'clear' });
    expect(actionForKey({ key: '2' }, palette)).toEqual({ kind: 'select', label: 'Bad' });
    expect(actionForKey({ key: 'c', ctrlKey: true }, palette)).toBeNull();
    expect(actionForKey({ key: 'q' }, palette)).toBeNull();
  });

  it('lets a palette hotkey take the accept key', () => {
    const withA = [...palette, { ...palette[2], label: 'Artifact', hotkey: 'a' } as PaletteEntry];
    expect(actionForKey({ key: 'a' }, withA)).toEqual({ kind: 'select', label: 'Artifact' });
  });
});

describe('paint', () => {
  it('paints one image, and a second click with the same label unpaints it', () => {
    const first = paintAt(items, {}, null, 3, 'Good', false);
    expect(first).toEqual({ paint: { 'img-3': 'Good' }, anchor: 3 });
    expect(paintAt(items, first.paint, 3, 3, 'Bad', false).paint).toEqual({ 'img-3': 'Bad' });
    expect(paintAt(items, first.paint, 3, 3, 'Good', false).paint).toEqual({});
  });

  it('Shift paints the range from the last painted image, either direction', () => {
    const start = paintAt(items, {}, null, 2, 'Good', false);
    const range = paintAt(items, start.paint, start.anchor, 5, 'Bad', true);
    expect(range.paint).toEqual({ 'img-2': 'Bad', 'img-3': 'Bad', 'img-4': 'Bad', 'img-5': 'Bad' });
    expect(range.anchor).toBe(5);
    const back = paintAt(items, {}, 8, 6, 'Good', true);
    expect(Object.keys(back.paint).sort()).toEqual(['img-6', 'img-7', 'img-8']);
  });

  it('Shift without a last painted image paints just the one', () => {
    expect(paintAt(items, {}, null, 4, 'Good', true).paint).toEqual({ 'img-4': 'Good' });
  });

  it('ignores a click past the page', () => {
    expect(paintAt(items, {}, null, 40, 'Good', false)).toEqual({ paint: {}, anchor: null });
  });

  it("accepts the model's verdicts for the unpainted images only", () => {
    const page = [item(0, 'Good'), item(1, 'Bad'), item(2, null), item(3, 'Weird'), item(4, 'Bad', 'Bad')];
    expect(acceptModel(page, { 'img-1': 'Good' }, palette)).toEqual({ 'img-0': 'Good', 'img-1': 'Good' });
  });
});

describe('the batch', () => {
  let ids = 0;
  const newId = () => `batch-${++ids}`;

  it('holds the painted images in page order, and nothing when nothing is painted', () => {
    expect(buildBatch(items, {}, null, newId)).toBeNull();
    const pending = buildBatch(items, { 'img-5': 'Bad', 'img-1': 'Good', gone: 'Good' }, null, newId);
    expect(pending?.batch.items).toEqual([
      { imageId: 'img-1', label: 'Good' },
      { imageId: 'img-5', label: 'Bad' },
    ]);
    expect(pending?.batch.batchId).toMatch(/^batch-/);
  });

  it('keeps the batch id for the same paint (a retry) and takes a new one for changed paint', () => {
    const first = buildBatch(items, { 'img-1': 'Good' }, null, newId);
    const retry = buildBatch(items, { 'img-1': 'Good' }, first, newId);
    expect(retry?.batch.batchId).toBe(first?.batch.batchId);
    const changed = buildBatch(items, { 'img-1': 'Bad' }, first, newId);
    expect(changed?.batch.batchId).not.toBe(first?.batch.batchId);
  });
});

it('writes dark text on light colours and white on dark ones', () => {
  expect(textColourOn('#ffff00')).toBe('#111');
  expect(textColourOn('#202020')).toBe('#fff');
  expect(textColourOn('bad')).toBe('#fff');
});
