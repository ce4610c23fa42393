import fc from 'fast-check';

/** The part of a JSON Schema (OpenAPI 3.0 flavour, as the API description writes it) read here. */
export interface JsonSchema {
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number | boolean;
  exclusiveMaximum?: number | boolean;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

/** Strings that break naive code: empty, blank, NUL, lone surrogates, emoji, huge, look-alike numbers and paths. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '%00',
    '%',
    '\uD800',
    '\uFFFF',
    '\u202E\u0301',
    '😀'.repeat(70),
    'x'.repeat(65),
    'x'.repeat(501),
    'x'.repeat(100_000),
    '9'.repeat(400),
    'null',
    'undefined',
    'true',
    'NaN',
    'Infinity',
    '-1',
    '-0',
    '1e309',
    '0x1F',
    '2147483648',
    '9007199254740993',
    '../../etc/passwd',
    "'; DROP TABLE image; --",
    '__proto__',
    'constructor',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59+23:59',
    '+275760-09-13T00:00:00.000Z',
    '2026-02-30T00:00:00Z',
  ),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
);

/** Numbers at and past every boundary a column or a schema has (JSON turns NaN and ±Infinity into null). */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    -1,
    0.5,
    1e-300,
    2 ** 31 - 1,
    2 ** 31,
    -(2 ** 31) - 1,
    Number.MAX_SAFE_INTEGER,
    2 ** 53 + 2,
    1e308,
    -1e308,
  ),
  fc.integer(),
  fc.double(),
);

/** Any JSON value, weighted towards the hostile ones, with arrays and objects of them. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(hostileString, fc.string()), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A very long array of one small thing: past the 10,000-item limits, some past the 2 MB body limit. */
export const hugeArray: fc.Arbitrary<unknown[]> = fc
  .tuple(fc.oneof(hostileNumber, fc.string({ maxLength: 40 }), fc.uuid()), fc.constantFrom(10_001, 50_000))
  .map(([item, length]) => Array.from({ length }, () => item));

/** Values that name things that exist (an image id, a plot type), by field name, so lookups hit rows. */
export type Known = Readonly<Record<string, readonly unknown[]>>;

/**
 * Values the schema accepts (as far as a JSON Schema can say: transforms and refinements are not in
 * it), at its boundaries too; a field named in `known` is often one of those values.
 */
export function valid(schema: JsonSchema, known: Known = {}, name = ''): fc.Arbitrary<unknown> {
  const own = validOwn(schema, known);
  const candidates = known[name] ?? [];
  const withKnown = candidates.length ? fc.oneof(fc.constantFrom(...candidates), own) : own;
  return schema.nullable ? fc.option(withKnown, { nil: null, freq: 5 }) : withKnown;
}

function validOwn(schema: JsonSchema, known: Known): fc.Arbitrary<unknown> {
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  const members = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (members?.length) return fc.oneof(...members.map((member) => valid(member, known)));
  switch (schema.type) {
    case 'string':
      return validString(schema);
    case 'integer':
    case 'number':
      return validNumber(schema);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? 20, minLength + 20);
      return fc.array(valid(schema.items ?? {}, known), { minLength, maxLength });
    }
    case 'object': {
      const properties = schema.properties ?? {};
      return fc.record(
        Object.fromEntries(
          Object.entries(properties).map(([key, property]) => [key, valid(property, known, key)]),
        ),
        { requiredKeys: (schema.required ?? []).filter((key) => key in properties) },
      );
    }
    default:
      return hostileJson;
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') {
    // Years 0000–9999 with any offset: everything an ISO date-time with an offset can say.
    return fc
      .tuple(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
      )
      .map(([date, minutes]) => isoWithOffset(date, minutes));
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 200, 10_000);
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((text) => text.length >= minLength && text.length <= maxLength);
  }
  return fc.oneof(
    fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, minLength + 40) }),
    fc.constantFrom('x'.repeat(Math.max(minLength, 1)), 'x'.repeat(maxLength)),
  );
}

function validNumber(schema: JsonSchema): fc.Arbitrary<number> {
  const exclusiveMin = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const exclusiveMax = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined;
  const min = schema.minimum ?? exclusiveMin;
  const max = schema.maximum ?? exclusiveMax;
  if (schema.type === 'integer') {
    return fc.integer({
      min: Math.max(
        Math.ceil(min ?? Number.MIN_SAFE_INTEGER) + (exclusiveMin === undefined ? 0 : 1),
        Number.MIN_SAFE_INTEGER,
      ),
      max: Math.min(
        Math.floor(max ?? Number.MAX_SAFE_INTEGER) - (exclusiveMax === undefined ? 0 : 1),
        Number.MAX_SAFE_INTEGER,
      ),
    });
  }
  return fc.double({
    noNaN: true,
    noDefaultInfinity: true,
    ...(min !== undefined && {
      min,
      minExcluded: exclusiveMin !== undefined || schema.exclusiveMinimum === true,
    }),
    ...(max !== undefined && {
      max,
      maxExcluded: exclusiveMax !== undefined || schema.exclusiveMaximum === true,
    }),
  });
}

/** `date` as local time at `minutes` from UTC, written the ISO way with that offset. */
function isoWithOffset(date: Date, minutes: number): string {
  const local = new Date(date.getTime() + minutes * 60_000).toISOString().slice(0, -1);
  const sign = minutes < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(minutes) / 60)).padStart(2, '0');
  return `${local}${sign}${hours}:${String(Math.abs(minutes) % 60).padStart(2, '0')}`;
}

/**
 * A path segment or query component with every byte outside the unreserved set percent-encoded
 * (lone surrogates become U+FFFD, as any client would send them); `raw` ones go as they are, to
 * try broken escapes such as `%` or `%E0%A4%A`.
 */
export function urlComponent(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let encoded = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** Path segments and query components that are not valid percent-encoding, or are dot segments. */
export const brokenUrlComponent: fc.Arbitrary<string> = fc.constantFrom(
  '%',
  '%E0%A4%A',
  '%FF',
  '%C0%AF',
  '%2e%2e',
  '.',
);

/** One change to a valid value: a node (found by `path`) replaced, deleted, or given an extra key. */
export interface Mutation {
  path: number[];
  action: 'replace' | 'delete' | 'add';
  key: string;
  value: unknown;
}

/** No change (a valid request) a quarter of the time, else one change with `value` at any depth. */
export function mutation(value: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation | null> {
  return fc.option(
    fc.record({
      path: fc.array(fc.nat(), { maxLength: 4 }),
      action: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'add'),
      key: fc.oneof(hostileString, fc.string({ maxLength: 10 })),
      value,
    }),
    { freq: 4 },
  );
}

/** `root` with the change made (a copy); `undefined` when the change deletes the whole of it. */
export function mutate(root: unknown, change: Mutation | null): unknown {
  if (!change) return root;
  const copy = structuredClone(root);
  let parent: Record<string, unknown> | null = null;
  let at = '';
  let node: unknown = copy;
  for (const step of change.path) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (!keys.length) break;
    parent = node as Record<string, unknown>;
    at = keys[step % keys.length] as string;
    node = parent[at];
  }
  if (change.action === 'add' && node !== null && typeof node === 'object' && !Array.isArray(node)) {
    (node as Record<string, unknown>)[change.key] = change.value;
    return copy;
  }
  if (!parent) return change.action === 'delete' ? undefined : change.value;
  if (change.action !== 'delete') parent[at] = change.value;
  else if (Array.isArray(parent)) parent.splice(Number(at), 1);
  else delete parent[at];
  return copy;
}
