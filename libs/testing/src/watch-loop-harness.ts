import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource, migrate } from '@hydra/db';
import { createTestDatabase } from '@hydra/db/testing';
import { deleteStream, isolatedStream, NATS_URL, recordEvents } from '@hydra/messaging/testing';
import { S3ObjectStore } from '@hydra/storage';
import { startS3TestServer } from '@hydra/storage/testing';
import type { DataSource } from 'typeorm';
import { activate, registerTestModel } from './fixtures';
import { type ServiceProcess, startServiceProcess } from './service-process';

/** The built entry points (`dist/main.js`) of the services, resolved by the caller. */
export interface ServiceScripts {
  ingest: string;
  classifier: string;
  explainer: string;
}

export interface WatchLoopOptions {
  scripts: ServiceScripts;
  plotType: string;
  thresholds: Record<string, number>;
  classifierReplicas?: number;
  /** How soon a killed classifier's messages go to another replica. */
  ackWaitMs?: number;
}

/** Ingest, classifier(s) and explainer as separate processes on real PostgreSQL, NATS and S3, with the test model in production. */
export interface WatchLoop {
  db: DataSource;
  store: S3ObjectStore;
  /** The folder ingest watches. */
  watchDir: string;
  modelId: string;
  events: Awaited<ReturnType<typeof recordEvents>>;
  ingest: ServiceProcess;
  classifiers: ServiceProcess[];
  explainer: ServiceProcess;
  startClassifier(): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

export async function startWatchLoop(options: WatchLoopOptions): Promise<WatchLoop> {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const namespace = isolatedStream();
  cleanups.push(() => deleteStream(namespace.stream));
  try {
    const database = await createTestDatabase('hydra_loop');
    cleanups.push(() => database.drop());
    await migrate(database.url);
    const db = await createDataSource(database.url).initialize();
    cleanups.push(() => db.destroy());
    const s3 = await startS3TestServer();
    cleanups.push(() => s3.stop());
    const bucket = 'hydra-loop';
    const store = new S3ObjectStore({ ...s3, bucket, region: 'us-east-1' });
    await store.ensureBucket();
    const watchDir = await mkdtemp(join(tmpdir(), 'hydra-loop-watch-'));
    cleanups.push(() => rm(watchDir, { recursive: true, force: true }));

    const { modelId } = await registerTestModel(db, store, options.plotType, options.thresholds);
    await activate(db, options.plotType, modelId);

    const env = {
      DATABASE_URL: database.url,
      NATS_URL,
      NATS_STREAM: namespace.stream,
      NATS_SUBJECT_PREFIX: namespace.subjectPrefix,
      NATS_ACK_WAIT_MS: String(options.ackWaitMs ?? 30_000),
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      S3_BUCKET: bucket,
    };
    const running: ServiceProcess[] = [];
    cleanups.push(() => Promise.all(running.map((service) => service.stop())));
    const start = async (script: string, portVariable: string, extra: Record<string, string> = {}) => {
      const service = await startServiceProcess(script, portVariable, { ...env, ...extra });
      running.push(service);
      return service;
    };
    const startClassifier = () => start(options.scripts.classifier, 'CLASSIFIER_PORT');
    // The classifier first: its consumers must exist before ingest announces anything.
    const classifiers = await Promise.all(
      Array.from({ length: options.classifierReplicas ?? 1 }, () => startClassifier()),
    );
    const [ingest, explainer] = await Promise.all([
      start(options.scripts.ingest, 'INGEST_PORT', { WATCH_DIRS: watchDir, INGEST_STABLE_MS: '300' }),
      start(options.scripts.explainer, 'EXPLAINER_PORT'),
    ]);
    const events = await recordEvents(namespace, '>');
    cleanups.push(() => events.stop());
    return {
      db,
      store,
      watchDir,
      modelId,
      events,
      ingest,
      classifiers,
      explainer,
      startClassifier,
      stop: () => runCleanups(cleanups),
    };
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}

async function runCleanups(cleanups: (() => Promise<unknown> | unknown)[]): Promise<void> {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
}
