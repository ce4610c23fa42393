import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHART_DIR, chartValues, coalesce, hallNames, hallValues, isMap, type Values } from './chart-files';

const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as Values;

/** Sections whose keys belong to Helm or to a bundled chart: Helm merges those charts' defaults in before validating. */
const OPEN_SECTIONS = ['global', 'nats', 'postgresql', 'minio'];

let compiled: ValidateFunction | undefined;

function compile(): ValidateFunction {
  // Strict mode: an unknown keyword or a type/keyword mismatch in the schema itself is an error
  // (bar `required` in the watched volume's oneOf branches, whose properties are defined beside them).
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  return ajv.compile(schema);
}

function validator(): ValidateFunction {
  return (compiled ??= compile());
}

function errorsOf(values: Values): string[] {
  const validate = validator();
  if (validate(values)) return [];
  return (validate.errors ?? []).map(
    (error: ErrorObject) => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`,
  );
}

const withChange = (path: string[], value: unknown): Values => {
  const override: Values = {};
  let cursor = override;
  path.slice(0, -1).forEach((key) => (cursor = cursor[key] = {} as Values));
  cursor[path[path.length - 1] ?? ''] = value;
  return coalesce(chartValues(), override);
};

describe('values.schema.json', () => {
  it('is a draft-07 schema that compiles in strict mode', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(() => compile()).not.toThrow();
  });

  it('rejects unknown keys at every object level, bar the bundled charts and global', () => {
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((item, index) => walk(item, `${path}[${index}]`));
      if (!isMap(node)) return;
      if (node.type === 'object' && node.additionalProperties !== false) {
        // A map (labels, env) constrains its values' type instead of listing keys.
        if (!isMap(node.additionalProperties)) open.push(path || '/');
      }
      if (OPEN_SECTIONS.some((section) => path === `/properties/${section}`)) return; // all theirs below
      for (const [key, child] of Object.entries(node)) walk(child, `${path}/${key}`);
    };
    walk(schema, '');
    expect(open.sort()).toEqual(OPEN_SECTIONS.map((section) => `/properties/${section}`).sort());
  });

  it('accepts the chart defaults', () => {
    expect(errorsOf(chartValues())).toEqual([]);
  });

  it('finds the example halls', () => {
    expect(hallNames()).toEqual(['hall-a', 'hall-b', 'hall-c', 'hall-d']);
  });

  it.each(hallNames())('accepts values-%s.yaml, alone and over the defaults as Helm merges it', (hall) => {
    expect(errorsOf(hallValues(hall))).toEqual([]);
    expect(errorsOf(coalesce(chartValues(), hallValues(hall)))).toEqual([]);
  });

  it.each([
    [['ingres'], { enabled: true }, 'ingres'],
    [['classifier', 'replica'], 3, 'replica'],
    [['ingest', 'watch', 'dir'], ['/plots'], 'dir'],
    [['labelerApi', 'admin', 'pasword'], 'x', 'pasword'],
    [['gpu', 'nodeselector'], {}, 'nodeselector'],
  ])('rejects the misspelt key %j', (path, value, key) => {
    const errors = errorsOf(withChange(path, value));
    expect(
      errors.some(
        (error) => error.includes('must NOT have additional properties') && error.includes(`"${key}"`),
      ),
    ).toBe(true);
  });

  it.each([
    [['classifier', 'replicas'], '2', 'must be integer'],
    [['gpu', 'enabled'], 'yes', 'must be boolean'],
    [['ingest', 'watch', 'dirs'], '/plots/a:/plots/b', 'must be array'],
    [['classifier', 'defaultConfirmationThreshold'], 1.5, 'must be <= 1'],
    [['classifier', 'onnxPrecision'], 'fp16', 'must be equal to one of the allowed values'],
    [['messaging', 'subjectPrefix'], 'hallA', 'must match pattern'],
    [['trainer', 'resources', 'limits', 'memory'], '8 GB', 'must match pattern'],
    [['nats', 'enabled'], 'true', 'must be boolean'],
  ])('rejects %j = %j (wrong type or value)', (path, value, message) => {
    const errors = errorsOf(withChange(path, value));
    expect(errors.some((error) => error.startsWith(`/${path.join('/')} `) && error.includes(message))).toBe(
      true,
    );
  });

  it('rejects a watched volume that is neither a PVC nor NFS', () => {
    const errors = errorsOf(
      withChange(['ingest', 'watch', 'volumes'], [{ name: 'plots', mountPath: '/plots', hostPath: '/data' }]),
    );
    expect(errors.length).toBeGreaterThan(0);
  });
});
