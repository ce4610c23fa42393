import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Image } from '@hydra/db';
import { waitFor } from '@hydra/messaging/testing';
import { INTERNAL_TOKEN_HEADER } from '@hydra/service';
import type { LocalObjectStore } from '@hydra/storage';
import { type ServiceTestBed, startServiceTestBed } from '@hydra/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { DataSource } from 'typeorm';
import { createIngestApp } from '../../src/ingest.app';
import type { IngestConfig } from '../../src/ingest.config';

export const INTERNAL_TOKEN = 'test-internal-token-0123456789';
export const RUN_PERIOD = 'RunPeriod-2026-01';

/** An ingest app in this process, watching its own temporary folder, with its own database and stream. */
export interface IngestBed {
  bed: ServiceTestBed;
  db: DataSource;
  app: NestExpressApplication;
  url: string;
  root: string;
  store: LocalObjectStore;
  events: Awaited<ReturnType<ServiceTestBed['serve']>>['events'];
  stop(): Promise<void>;
}

export function testConfig(
  bed: ServiceTestBed,
  root: string,
  overrides: Partial<IngestConfig> = {},
): IngestConfig {
  return {
    port: 0,
    databaseUrl: bed.databaseUrl,
    watch: { roots: [root], stableMs: 300, incompleteMs: 1_000, afterStore: 'move' },
    limits: { maxBytes: 5_000_000, maxPixels: 25_000_000, maxConcurrentDecodes: 2 },
    internalToken: INTERNAL_TOKEN,
    ...overrides,
  };
}

export async function startIngestBed(
  prefix: string,
  overrides: (bed: ServiceTestBed, root: string) => Partial<IngestConfig> = () => ({}),
): Promise<IngestBed> {
  const bed = await startServiceTestBed(prefix);
  const root = await mkdtemp(join(tmpdir(), 'hydra-watch-'));
  const app = await createIngestApp(testConfig(bed, root, overrides(bed, root)), bed.connections(bed.store));
  const { url, events } = await bed.serve(app, 'image.new');
  return {
    bed,
    db: bed.db,
    app,
    url,
    root,
    store: bed.store,
    events,
    stop: async () => {
      await bed.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export const runFolder = (root: string, run: number) =>
  join(root, RUN_PERIOD, `Run${String(run).padStart(6, '0')}`);

export async function writePlot(root: string, run: number, name: string, bytes: Buffer): Promise<string> {
  const path = join(runFolder(root, run), name);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return path;
}

export const imageCount = (db: DataSource) => db.getRepository(Image).count();

const exists = (path: string) =>
  readFile(path).then(
    () => true,
    () => false,
  );

/** The reason file's text, once the file at `relative` (to the root) has been moved to rejected/. */
export async function rejection(root: string, relative: string, reasonFile = `${relative}.reason.txt`) {
  const path = join(root, 'rejected', reasonFile);
  await waitFor(() => exists(path), `${relative} to be moved to rejected/`);
  return readFile(path, 'utf8');
}

/** A push as labeler-api forwards it. */
export function upload(url: string, query: string, body: Buffer | string, contentType = 'image/png') {
  return fetch(`${url}/images?${query}`, {
    method: 'POST',
    body,
    headers: { [INTERNAL_TOKEN_HEADER]: INTERNAL_TOKEN, 'content-type': contentType },
  });
}

/** The value of one Prometheus series, 0 when absent. */
export async function metric(url: string, series: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => series.test(candidate));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
