import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource, migrate } from '@hydra/db';
import { createTestDatabase } from '@hydra/db/testing';
import type { Subject, UserRole } from '@hydra/contracts';
import { buildEvent, defaultJetStreamOptions, type EventInput, JetStreamConnection } from '@hydra/messaging';
import {
  deleteStream,
  isolatedStream,
  NATS_URL,
  type PrivateNatsServer,
  recordEvents,
  startPrivateNatsServer,
} from '@hydra/messaging/testing';
import { LocalObjectStore, type ObjectStore, S3ObjectStore } from '@hydra/storage';
import { startS3TestServer } from '@hydra/storage/testing';
import type { DataSource } from 'typeorm';
import { createApiToken } from './api-token';
import { activate, registerTestModel } from './fixtures';
import { type ServiceProcess, startServiceProcess } from './service-process';
import { SERVICE_PORT_VARIABLES, type ServiceName } from '@hydra/service';

export type { ServiceName };

export interface HydraOptions {
  /** The built entry points (`dist/main.js`) of the services to run, resolved by the caller. */
  scripts: Partial<Record<ServiceName, string>>;
  /** The plot type that gets the test model in production. */
  plotType: string;
  thresholds: Record<string, number>;
  classifierReplicas?: number;
  /** How soon a killed replica's messages go to another. */
  ackWaitMs?: number;
  /** `s3`: a local Ceph gateway (the default); `local`: a folder, as on one machine. */
  store?: 's3' | 'local';
  /** More environment for every service. */
  env?: Record<string, string>;
  /** `shared`: the NATS at `NATS_URL` (the default); `private`: a nats-server of this test's own, which it may restart. */
  nats?: 'shared' | 'private';
}

/** Hydra's services as separate processes on real PostgreSQL, NATS and an object store, with the test model in production. */
export interface HydraProcesses {
  db: DataSource;
  store: ObjectStore;
  /** The test's own broker, with `nats: 'private'`. */
  nats: PrivateNatsServer | null;
  /** The folder ingest watches. */
  watchDir: string;
  modelId: string;
  /** Everything published, in order. */
  events: Awaited<ReturnType<typeof recordEvents>>;
  services: Partial<Record<ServiceName, ServiceProcess>>;
  classifiers: ServiceProcess[];
  /** Starts (another replica of) a service; the classifier's replicas are kept in `classifiers`. */
  start(name: ServiceName): Promise<ServiceProcess>;
  /** A bearer token for labeler-api, acting as `name` with `role`. */
  apiToken(name: string, role: UserRole): Promise<string>;
  /** The broker's view of a durable consumer (e.g. `classifier__image_new`): deliveries, acks, pending. */
  consumerInfo(durable: string): ReturnType<JetStreamConnection['manager']['consumers']['info']>;
  /** Publishes as a service would (validated, with an envelope). */
  publish<S extends Subject>(subject: S, input: EventInput<S>): Promise<void>;
  stop(): Promise<void>;
}

export async function startHydraProcesses(options: HydraOptions): Promise<HydraProcesses> {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const namespace = isolatedStream();
  try {
    const nats = options.nats === 'private' ? await startPrivateNatsServer() : null;
    if (nats) cleanups.push(() => nats.stop());
    const natsUrl = nats?.url ?? NATS_URL;
    cleanups.push(() => deleteStream(namespace.stream, natsUrl));
    const database = await createTestDatabase('hydra_processes');
    cleanups.push(() => database.drop());
    await migrate(database.url);
    const db = await createDataSource(database.url).initialize();
    cleanups.push(() => db.destroy());
    const { store, env: storeEnv } = await objectStore(options.store ?? 's3', cleanups);
    const watchDir = await mkdtemp(join(tmpdir(), 'hydra-loop-watch-'));
    cleanups.push(() => rm(watchDir, { recursive: true, force: true }));

    const { modelId } = await registerTestModel(db, store, options.plotType, options.thresholds);
    await activate(db, options.plotType, modelId);

    const env = {
      DATABASE_URL: database.url,
      NATS_URL: natsUrl,
      NATS_STREAM: namespace.stream,
      NATS_SUBJECT_PREFIX: namespace.subjectPrefix,
      NATS_ACK_WAIT_MS: String(options.ackWaitMs ?? 30_000),
      WATCH_DIRS: watchDir,
      INGEST_STABLE_MS: '300',
      // A file that never gets its end marker is given up on soon (30 s in production).
      INGEST_INCOMPLETE_MS: '1500',
      INTERNAL_API_TOKEN: randomBytes(24).toString('hex'),
      HYDRA_ADMIN_PASSWORD: randomBytes(24).toString('hex'),
      ...storeEnv,
      ...options.env,
    };
    const running: ServiceProcess[] = [];
    cleanups.push(() => Promise.all(running.map((service) => service.stop())));
    const services: Partial<Record<ServiceName, ServiceProcess>> = {};
    const classifiers: ServiceProcess[] = [];
    const start = async (name: ServiceName) => {
      const script = options.scripts[name];
      if (!script) throw new Error(`no script given for ${name}`);
      // labeler-api forwards alarm actions to the classifier, uploads to ingest, heat-map requests to the explainer.
      const own: Record<string, string> = {};
      if (name === 'labeler-api' && classifiers[0]) own.CLASSIFIER_URL = classifiers[0].url;
      if (name === 'labeler-api' && services.ingest) own.INGEST_URL = services.ingest.url;
      if (name === 'labeler-api' && services.explainer) own.EXPLAINER_URL = services.explainer.url;
      const service = await startServiceProcess(script, SERVICE_PORT_VARIABLES[name], { ...env, ...own });
      running.push(service);
      services[name] = service;
      if (name === 'classifier') classifiers.push(service);
      return service;
    };
    // Consumers first: the classifier's must exist before anything is announced.
    if (options.scripts.classifier)
      await Promise.all(Array.from({ length: options.classifierReplicas ?? 1 }, () => start('classifier')));
    const others = (Object.keys(options.scripts) as ServiceName[]).filter(
      (name) => name !== 'classifier' && name !== 'labeler-api',
    );
    await Promise.all(others.map((name) => start(name)));
    // Last: labeler-api forwards to the classifier and ingest, so it needs their addresses.
    if (options.scripts['labeler-api']) await start('labeler-api');
    const events = await recordEvents(namespace, '>', natsUrl);
    cleanups.push(() => events.stop());
    const connection = await JetStreamConnection.open({
      ...defaultJetStreamOptions,
      ...namespace,
      servers: [natsUrl],
      connectionName: 'test-publisher',
    });
    cleanups.push(() => connection.close());
    return {
      db,
      store,
      nats,
      watchDir,
      modelId,
      events,
      services,
      classifiers,
      start,
      apiToken: (name, role) => createApiToken(db, name, role),
      consumerInfo: (durable) => connection.manager.consumers.info(namespace.stream, durable),
      publish: async (subject, input) => {
        const event = buildEvent(subject, input);
        await connection.publish(subject, JSON.stringify(event), event.id);
      },
      stop: () => runCleanups(cleanups),
    };
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}

async function objectStore(
  kind: 's3' | 'local',
  cleanups: (() => Promise<unknown> | unknown)[],
): Promise<{ store: ObjectStore; env: Record<string, string> }> {
  if (kind === 'local') {
    const root = await mkdtemp(join(tmpdir(), 'hydra-loop-store-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const signingSecret = 'hydra-loop-signing-secret';
    const store = new LocalObjectStore({ root, signingSecret, publicBaseUrl: 'http://127.0.0.1/objects' });
    return { store, env: { STORAGE_DIR: root, STORAGE_SIGNING_SECRET: signingSecret } };
  }
  const s3 = await startS3TestServer();
  cleanups.push(() => s3.stop());
  const bucket = 'hydra-loop';
  const store = new S3ObjectStore({ ...s3, bucket, region: 'us-east-1' });
  await store.ensureBucket();
  return {
    store,
    env: {
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      S3_BUCKET: bucket,
    },
  };
}

async function runCleanups(cleanups: (() => Promise<unknown> | unknown)[]): Promise<void> {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
}
