import { BadRequestException } from '@nestjs/common';

/** One column of a sort key: how to order by it, how to read it back exactly, its type as a parameter. */
interface SortKey {
  sql: string;
  /** What to select when the ordered value would lose precision on its way through JavaScript. */
  select?: string;
  type: 'timestamptz' | 'uuid' | 'integer' | 'float8';
}

/** The sort orders of image lists. */
export type ImageOrder = 'newest' | 'run' | 'margin';

interface SortOrder {
  direction: 'ASC' | 'DESC';
  keys: SortKey[];
}

/** Sort orders of image lists; every key ends in the id, so no two images tie and pages never overlap. */
export const ORDERS: Record<ImageOrder, SortOrder> = {
  /** Newest capture first. */
  newest: {
    direction: 'DESC',
    keys: [
      // Microseconds survive as text; a JavaScript Date would round them and repeat or skip images.
      { sql: 'i.captured_at', select: 'i.captured_at::text', type: 'timestamptz' },
      { sql: 'i.id', type: 'uuid' },
    ],
  },
  /** Newest run first (Hydra's "novel" mode), then newest capture. */
  run: {
    direction: 'DESC',
    keys: [
      { sql: 'i.run_number', type: 'integer' },
      { sql: 'i.captured_at', select: 'i.captured_at::text', type: 'timestamptz' },
      { sql: 'i.id', type: 'uuid' },
    ],
  },
  /** Smallest margin between the two best outputs first; images not yet judged come before all. */
  margin: {
    direction: 'ASC',
    keys: [
      { sql: 'coalesce(v.margin, -1)', type: 'float8' },
      { sql: 'i.id', type: 'uuid' },
    ],
  },
};

/** A cursor's values are checked here, so a forged one is a 400 and never a database error. */
const FITS: Record<SortKey['type'], (value: unknown) => boolean> = {
  timestamptz: isTimestamp,
  uuid: (value) => typeof value === 'string' && /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(value),
  integer: (value) =>
    Number.isInteger(value) && (value as number) >= -INT4_LIMIT && (value as number) < INT4_LIMIT,
  float8: (value) => typeof value === 'number' && Number.isFinite(value),
};

const INT4_LIMIT = 2 ** 31;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:[+-](\d{2})(?::?(\d{2}))?|Z)$/;

/** A timestamp as PostgreSQL writes one (`captured_at::text`) and will read back: a real day, year 1 on, offset within ±15:59. */
function isTimestamp(value: unknown): boolean {
  const match = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match
    .slice(1)
    .map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return (
    year >= 1 &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours < 16 &&
    offsetMinutes < 60
  );
}

/** The opaque `nextCursor`: the order and the sort key of the last image of the page. */
export function encodeCursor(order: ImageOrder, key: (string | number)[]): string {
  return Buffer.from(JSON.stringify({ order, key })).toString('base64url');
}

/** The sort key a cursor continues after; a 400 for one this order did not hand out. */
export function decodeCursor(order: ImageOrder, cursor: string | undefined): (string | number)[] | null {
  if (cursor === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const { order: cursorOrder, key } = (parsed ?? {}) as { order?: unknown; key?: unknown };
  const keys = ORDERS[order].keys;
  const valid =
    cursorOrder === order &&
    Array.isArray(key) &&
    key.length === keys.length &&
    key.every((value, index) => FITS[(keys[index] as SortKey).type](value));
  if (!valid) throw new BadRequestException(`cursor ${cursor.slice(0, 40)} is not one this list handed out`);
  return key as (string | number)[];
}
