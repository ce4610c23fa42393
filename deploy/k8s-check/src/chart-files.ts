import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** deploy/k8s, where the chart, the hall examples and their rendered manifests live. */
export const K8S_DIR = resolve(__dirname, '..', '..', 'k8s');
export const CHART_DIR = join(K8S_DIR, 'hydra');
export const RENDERED_DIR = join(K8S_DIR, 'rendered');

export type Values = Record<string, unknown>;

/** A Kubernetes object as rendered: enough typing to reach the fields the invariants read. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export function readYaml(path: string): Values {
  return (parse(readFileSync(path, 'utf8')) ?? {}) as Values;
}

export const chartValues = (): Values => readYaml(join(CHART_DIR, 'values.yaml'));

/** The example halls: `hall-a` … from `values-hall-*.yaml`. */
export function hallNames(): string[] {
  return readdirSync(K8S_DIR)
    .map((file) => /^values-(hall-[a-z0-9-]+)\.yaml$/.exec(file)?.[1])
    .filter((hall): hall is string => hall !== undefined)
    .sort();
}

export const hallValues = (hall: string): Values => readYaml(join(K8S_DIR, `values-${hall}.yaml`));

/** Helm's coalescing of a values file over the chart's: maps merge, anything else replaces, null deletes. */
export function coalesce(base: Values, override: Values): Values {
  const result: Values = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = result[key];
    if (value === null) delete result[key];
    else if (isMap(value) && isMap(current)) result[key] = coalesce(current, value);
    else result[key] = value;
  }
  return result;
}

export function isMap(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The objects of `deploy/k8s/rendered/<hall>.yaml`, in order. */
export function renderedManifests(hall: string): Manifest[] {
  return parseManifests(readFileSync(join(RENDERED_DIR, `${hall}.yaml`), 'utf8'));
}

export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length) throw new Error(document.errors.map((error) => error.message).join('\n'));
      return document.toJS() as Manifest | null;
    })
    .filter((manifest): manifest is Manifest => manifest !== null);
}
