import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageUploadQuery } from '@hydra/contracts';
import { ApiToken, TrainingJob, User } from '@hydra/db';
import { NATS_URL } from '@hydra/messaging/testing';
import { SERVICE_PORT_VARIABLES } from '@hydra/service';
import { type ServiceProcess, startServiceProcess } from '@hydra/testing';
import fc from 'fast-check';
import { z } from 'zod';
import { addImage, addModel, addVerdict } from '../support/images.fixture';
import { type ImageOrder, ORDERS } from '../../src/images/image-order';
import {
  brokenUrlComponent,
  hostileJson,
  hostileNumber,
  hostileString,
  hugeArray,
  type JsonSchema,
  mutate,
  mutation,
  urlComponent,
  valid,
} from '../support/hostile-values';
import { type LabelerApiHarness, startLabelerApi } from '../support/labeler-api.harness';

/**
 * Every route of labeler-api, as its own API description lists it, called as an admin with random
 * and boundary values in every path parameter, query parameter and body field: the answer is a 2xx
 * or a 4xx, never a 5xx. Uploads and alarm actions go on to ingest and the classifier, which run
 * beside it. FUZZ_RUNS (requests per route) raises the count for a long run.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const PLOT = 'FUZZ_plot';
const INTERNAL_TOKEN = 'fuzz-internal-token-0123456789';
const REQUEST_TIMEOUT_MS = 20_000;

interface Parameter {
  name: string;
  in: 'path' | 'query';
  schema: JsonSchema;
}
interface Operation {
  method: string;
  /** OpenAPI form: `/api/models/{id}`. */
  path: string;
  parameters: Parameter[];
  body: JsonSchema | null;
}
type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'raw'; type: string; text: string }
  | { kind: 'form'; fields: [string, string][]; image: 'png' | 'truncated' | 'noise' | 'empty' | null };
interface FuzzRequest {
  path: string;
  query: [string, string][];
  body: Body;
}

let api: LabelerApiHarness;
/** ingest, the classifier and the explainer, as their own processes (as in production) on labeler-api's database and stream. */
const services: ServiceProcess[] = [];
let storeRoot: string;
let operations: Operation[];
let png: Buffer;
/** Values that name things that exist, by path parameter or body field (`<route prefix>:id` for ids). */
const known: Record<string, unknown[]> = {};
/** How often each status (or no answer at all) came back. */
const outcomes = new Map<string, number>();
let requests = 0;

beforeAll(async () => {
  storeRoot = await mkdtemp(join(tmpdir(), 'hydra-fuzz-store-'));
  api = await startLabelerApi(
    { INTERNAL_API_TOKEN: INTERNAL_TOKEN, LOGIN_ATTEMPTS_PER_MINUTE: '10000' },
    async (bed) => {
      const env = {
        DATABASE_URL: bed.databaseUrl,
        NATS_URL,
        NATS_STREAM: bed.namespace.stream,
        NATS_SUBJECT_PREFIX: bed.namespace.subjectPrefix,
        INTERNAL_API_TOKEN: INTERNAL_TOKEN,
        STORAGE_DIR: storeRoot,
        STORAGE_SIGNING_SECRET: 'fuzz-signing-secret-0123456789',
      };
      const start = async (name: 'ingest' | 'classifier' | 'explainer') => {
        const script = require.resolve(`@hydra/${name}/dist/main.js`);
        const service = await startServiceProcess(script, SERVICE_PORT_VARIABLES[name], env);
        services.push(service);
        return service.url;
      };
      const [ingest, classifier, explainer] = await Promise.all([
        start('ingest'),
        start('classifier'),
        start('explainer'),
      ]);
      return { INGEST_URL: ingest, CLASSIFIER_URL: classifier, EXPLAINER_URL: explainer };
    },
  );

  await api.plotTypes(PLOT);
  const modelId = await addModel(api, PLOT);
  const image = await addImage(api, { plotType: PLOT, keepReason: 'unconfirmed' });
  await addVerdict(api, image.id, 'Bad', 0.6, { modelId });
  png = await api.bed.store.get(image.storageKey);
  const job = await api.bed.db
    .getRepository(TrainingJob)
    .save({ id: randomUUID(), plotType: PLOT, requestedBy: 'fuzz', options: {}, status: 'succeeded' });
  // A throwaway account and token for the routes that change or delete them, never the caller's own.
  const other = await api.client('labeler', [{ plotType: PLOT, canLabel: true }]);
  const token = await api.bed.db.getRepository(ApiToken).findOneByOrFail({ userId: other.userId });
  Object.assign(known, {
    plotType: [PLOT, 'FUZZ_absent'],
    label: ['Good', 'Bad', 'NoData'],
    modelId: [modelId],
    imageId: [image.id],
    'users:id': [other.userId, (await api.bed.db.getRepository(User).findOneByOrFail({ name: 'admin' })).id],
    'tokens:id': [token.id],
    'images:id': [image.id],
    'models:id': [modelId],
    'training-jobs:id': [job.id],
  });

  const document = (await api.anonymous.get('/api/docs/openapi.json')).body as {
    paths: Record<string, Record<string, OpenApiOperation>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
      body: operation.requestBody?.content['application/json']?.schema ?? null,
    })),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((service) => service.stop()));
  await api?.stop();
  await rm(storeRoot, { recursive: true, force: true });
});

interface OpenApiOperation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

/** Known ids by path parameter: `<resource>:id` first; the admin's own row only for reading, as a change would lock the caller out. */
function knownFor(operation: Operation, name: string): readonly unknown[] {
  const resource = operation.path.split('/')[2] ?? '';
  const ids = known[`${resource}:${name}`] ?? known[name] ?? [];
  return operation.method === 'GET' ? ids : ids.slice(0, 1);
}

/** Hostile text for a URL: any hostile value as a client would write it. */
const hostileText = fc.oneof(
  hostileString,
  hostileJson.map((value) => asText(value)),
);

/** Valid path parameters (known or as their schema says), then at most one made hostile or a broken escape. */
function pathArbitrary(operation: Operation): fc.Arbitrary<string> {
  const segments = operation.path.split('/').slice(1);
  const names = segments.map((segment) => /^\{(.+)\}$/.exec(segment)?.[1] ?? null);
  const values = fc.tuple(
    ...names.map((name) => {
      if (!name) return fc.constant('');
      const schema = operation.parameters.find((parameter) => parameter.name === name)?.schema ?? {};
      const candidates = knownFor(operation, name);
      return (
        candidates.length ? fc.oneof(fc.constantFrom(...candidates), valid(schema)) : valid(schema)
      ).map((value) => urlComponent(asText(value)));
    }),
  );
  const parameters = names.flatMap((name, index) => (name ? [index] : []));
  const change = parameters.length
    ? fc.option(
        fc.record({
          index: fc.constantFrom(...parameters),
          text: fc.oneof(hostileText.map(urlComponent), brokenUrlComponent),
        }),
        { freq: 3 },
      )
    : fc.constant(null);
  return fc
    .tuple(values, change)
    .map(([own, hostile]) =>
      segments
        .map((segment, index) =>
          hostile?.index === index ? hostile.text : names[index] ? (own[index] as string) : segment,
        )
        .reduce((path, part) => `${path}/${part}`, ''),
    );
}

/** A query value as a client writes it: strings as they are, anything else as JSON. */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

/** A cursor as the list routes hand them out, for any of their sort orders, with keys of the right types but any values. */
const forgedCursor = fc
  .constantFrom(...(Object.entries(ORDERS) as [string, (typeof ORDERS)[ImageOrder]][]))
  .chain(([order, { keys }]) =>
    fc.record({
      order: fc.constant(order),
      key: fc.tuple(
        ...keys.map(({ type }) => {
          if (type === 'uuid') return fc.uuid();
          if (type === 'integer' || type === 'float8') return fc.oneof(hostileNumber, fc.integer());
          return fc.oneof(
            fc.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/),
            fc
              .date({ noInvalidDate: true })
              .map((date) => date.toISOString().replace('T', ' ').replace('Z', '+00')),
          );
        }),
      ),
    }),
  )
  .map((cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url'));

/** Query parameters that pass their schemas, then at most one change: a hostile value, a repeated or extra key, one left out. */
function queryArbitrary(parameters: Parameter[]): fc.Arbitrary<[string, string][]> {
  const schema: JsonSchema = {
    type: 'object',
    properties: Object.fromEntries(
      parameters.filter((parameter) => parameter.in === 'query').map(({ name, schema }) => [name, schema]),
    ),
    required: [],
  };
  const base = valid(schema, known).chain((query) =>
    'cursor' in (query as object)
      ? fc.oneof(
          fc.constant(query),
          forgedCursor.map((cursor) => ({ ...(query as object), cursor })),
        )
      : fc.constant(query),
  );
  const hostile = fc.oneof(hostileText, fc.array(hostileText, { minLength: 2, maxLength: 3 }));
  return fc
    .tuple(base, mutation(hostile))
    .map(([query, change]) =>
      Object.entries((mutate(query, change) ?? {}) as Record<string, unknown>).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((item) => [name, asText(item)] as [string, string]),
      ),
    );
}

const brokenJson = fc.constantFrom(
  '{',
  '{"a":',
  '[1,]',
  'nul',
  '"\\u00"',
  '['.repeat(10_000),
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  '{"__proto__":{"x":1}}',
);

/** A body that passes its schema, then at most one change at any depth; now and then broken JSON, plain text or none. */
function bodyArbitrary(operation: Operation): fc.Arbitrary<Body> {
  const raw = fc.oneof(
    brokenJson.map((text): Body => ({ kind: 'raw', type: 'application/json', text })),
    hostileString.map((text): Body => ({ kind: 'raw', type: 'text/plain', text })),
  );
  const none = fc.constant<Body>({ kind: 'none' });
  const json = fc
    .tuple(
      operation.body ? valid(operation.body, known) : hostileJson,
      mutation(fc.oneof({ weight: 6, arbitrary: hostileJson }, { weight: 1, arbitrary: hugeArray })),
    )
    .map(([body, change]): Body => {
      const value = mutate(body, change);
      return value === undefined ? { kind: 'none' } : { kind: 'json', value };
    });
  if (!operation.body && ['GET', 'DELETE'].includes(operation.method)) return none;
  return fc.oneof(
    { weight: 10, arbitrary: json },
    { weight: 1, arbitrary: raw },
    { weight: 1, arbitrary: none },
  );
}

/**
 * `POST /api/images` reads the raw request (it is passed through to ingest), so the API description
 * has no schema for it: the upload contract is the metadata as a query or as multipart fields, with
 * the image as the body or the `image` field.
 */
function uploadArbitrary(): fc.Arbitrary<FuzzRequest> {
  const schema = z.toJSONSchema(imageUploadQuery, { target: 'openapi-3.0', io: 'input' }) as JsonSchema;
  const fields = fc
    .tuple(
      valid(schema, known),
      mutation(fc.oneof(hostileText, fc.array(hostileText, { minLength: 2, maxLength: 3 }))),
    )
    .map(([metadata, change]) =>
      Object.entries((mutate(metadata, change) ?? {}) as Record<string, unknown>).flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((item) => [name, asText(item)] as [string, string]),
      ),
    );
  const image = fc.constantFrom('png', 'png', 'truncated', 'noise', 'empty', null);
  return fc.oneof(
    fc.record({
      path: fc.constant('/api/images'),
      query: fields,
      body: fc.oneof(
        image.map((kind): Body => ({ kind: 'form', fields: [], image: kind })),
        fc.constantFrom<Body>({ kind: 'raw', type: 'image/png', text: '' }, { kind: 'none' }),
        fc
          .constantFrom('image/png', 'image/jpeg', 'application/octet-stream', 'multipart/form-data')
          .map((type): Body => ({ kind: 'raw', type, text: 'not an image' })),
      ),
    }),
    fc.record({
      path: fc.constant('/api/images'),
      query: fc.constant<[string, string][]>([]),
      body: fc.tuple(fields, image).map(([own, kind]): Body => ({ kind: 'form', fields: own, image: kind })),
    }),
  );
}

function requestArbitrary(operation: Operation): fc.Arbitrary<FuzzRequest> {
  if (operation.method === 'POST' && operation.path === '/api/images') return uploadArbitrary();
  return fc.record({
    path: pathArbitrary(operation),
    query: queryArbitrary(operation.parameters),
    body: bodyArbitrary(operation),
  });
}

function encodeBody(body: Body): { body?: RequestInit['body']; headers: Record<string, string> } {
  if (body.kind === 'none') return { headers: {} };
  if (body.kind === 'json')
    return { body: JSON.stringify(body.value) ?? 'null', headers: { 'content-type': 'application/json' } };
  if (body.kind === 'raw') return { body: body.text, headers: { 'content-type': body.type } };
  const form = new FormData();
  for (const [name, value] of body.fields) form.append(name, value);
  const bytes = {
    png,
    truncated: png.subarray(0, png.length >> 1),
    noise: Buffer.from(Array.from({ length: 256 }, (_, index) => (index * 31) & 0xff)),
    empty: Buffer.alloc(0),
  };
  if (body.image) form.append('image', new Blob([bytes[body.image]], { type: 'image/png' }), 'plot.png');
  return { body: form, headers: {} };
}

/** One request as the admin; the status, with the reply's text when it is a 5xx. */
async function send(method: string, request: FuzzRequest): Promise<{ status: number; text: string }> {
  const query = request.query
    .map(([name, value]) => `${urlComponent(name)}=${urlComponent(value)}`)
    .join('&');
  const { body, headers } = encodeBody(request.body);
  requests += 1;
  try {
    const response = await fetch(`${api.url}${request.path}${query ? `?${query}` : ''}`, {
      method,
      headers: { authorization: `Bearer ${api.admin.token}`, ...headers },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    count(String(response.status));
    return { status: response.status, text };
  } catch (error) {
    // A dropped connection or no answer in time is as bad as a 5xx.
    count('no answer');
    const cause = (error as Error & { cause?: Error }).cause;
    throw new Error(`no answer: ${(error as Error).message}${cause ? ` (${cause.message})` : ''}`);
  }
}

function count(outcome: string): void {
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
}

/** A counterexample short enough to read: long strings and arrays cut, their length kept. */
function shortJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'string' && item.length > 120) return `${item.slice(0, 120)}…(${item.length} chars)`;
    if (Array.isArray(item) && item.length > 5) return [...item.slice(0, 3), `…(${item.length} items)`];
    return item;
  });
}

describe('the HTTP contracts under random and boundary values', () => {
  it(
    'answer every request to every route with a 2xx or a 4xx, never a 5xx',
    async () => {
      expect(operations.length).toBeGreaterThan(40);
      const failures: string[] = [];
      for (const operation of operations) {
        const result = await fc.check(
          fc.asyncProperty(requestArbitrary(operation), async (request) => {
            const { status, text } = await send(operation.method, request);
            if (status >= 500) throw new Error(`${status} ${text.slice(0, 300)}`);
          }),
          { numRuns: RUNS },
        );
        if (result.failed) {
          failures.push(
            `${operation.method} ${operation.path}: ${(result.errorInstance as Error | undefined)?.message} ← ${shortJson(result.counterexample?.[0])} (seed ${result.seed})`,
          );
        }
      }
      const histogram = [...outcomes.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([outcome, n]) => `${outcome}×${n}`)
        .join(' ');
      const serverErrors = [...outcomes.entries()]
        .filter(([outcome]) => !/^[1-4]/.test(outcome))
        .reduce((sum, [, n]) => sum + n, 0);
      process.stdout.write(
        `HTTP fuzz: ${operations.length} routes × ${RUNS} runs, ${requests} requests (with shrinking), statuses ${histogram}, 5xx or no answer: ${serverErrors}\n`,
      );
      expect(failures).toEqual([]);
    },
    Math.max(300_000, RUNS * 10_000),
  );
});
