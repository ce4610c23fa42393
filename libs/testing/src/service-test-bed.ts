import { createDataSource, migrate } from '@hydra/db';
import { createTestDatabase } from '@hydra/db/testing';
import { deleteStream, isolatedStream, NATS_URL, recordEvents } from '@hydra/messaging/testing';
import type { ServiceConnections } from '@hydra/service';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalObjectStore, type ObjectStore } from '@hydra/storage';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/** A service under test in this process: its own migrated database and JetStream namespace. */
export interface ServiceTestBed {
  db: DataSource;
  databaseUrl: string;
  /** An object store in a temporary folder, removed by `stop`. */
  store: LocalObjectStore;
  /** The test's own stream and subject prefix. */
  namespace: { stream: string; subjectPrefix: string };
  /** What the service is wired to; `extra` overrides (delivery timing, …). */
  connections(store: ObjectStore, extra?: Partial<ServiceConnections>): ServiceConnections;
  /** Listens on a free port and records what is published on `filter`; both end with `stop`. */
  serve(
    app: INestApplication,
    filter: string,
  ): Promise<{ url: string; events: Awaited<ReturnType<typeof recordEvents>> }>;
  stop(): Promise<void>;
}

export async function startServiceTestBed(prefix: string): Promise<ServiceTestBed> {
  const namespace = isolatedStream();
  const database = await createTestDatabase(prefix);
  await migrate(database.url);
  const db = await createDataSource(database.url).initialize();
  const storeRoot = await mkdtemp(join(tmpdir(), 'hydra-store-'));
  const store = new LocalObjectStore({
    root: storeRoot,
    signingSecret: 'test-signing-secret-0123456789',
    publicBaseUrl: 'http://127.0.0.1/objects',
  });
  const cleanups: (() => Promise<unknown>)[] = [
    () => rm(storeRoot, { recursive: true, force: true }),
    () => deleteStream(namespace.stream),
    () => database.drop(),
    () => db.destroy(),
  ];
  return {
    db,
    databaseUrl: database.url,
    store,
    namespace,
    connections: (store, extra = {}) => ({
      databaseUrl: database.url,
      transport: { kind: 'jetstream', servers: [NATS_URL], options: namespace },
      store,
      logger: false,
      ...extra,
    }),
    serve: async (app, filter) => {
      cleanups.push(() => app.close());
      await app.listen(0, '127.0.0.1');
      const events = await recordEvents(namespace, filter);
      cleanups.push(() => events.stop());
      return { url: await app.getUrl(), events };
    },
    stop: async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    },
  };
}
