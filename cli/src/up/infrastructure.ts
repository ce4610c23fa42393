import type { DataFolder } from './data-folder';
import { startEmbeddedPostgres } from './embedded-postgres';
import { httpHealth, type MonitoredPart } from './health-monitor';
import type { InstanceLock } from './instance-lock';
import type { ManagedChild } from './managed-child';
import { findOnPath, startNatsServer } from './nats-server';
import { accepts } from './ports';

/** The database, broker and object store of one `hydra up`, configured or embedded. */
export interface Infrastructure {
  databaseUrl: string;
  natsUrl: string | null;
  storageDir: string | null;
  /** Servers started here, in start order. */
  servers: ManagedChild[];
  /** What follows a restart of one of them: it is ready again, and the lock names its new pids. */
  restarted(): Promise<void>;
  parts: MonitoredPart[];
  /** One line each, for the summary. */
  descriptions: { database: string; broker: string; store: string };
}

/** How long a restarted PostgreSQL may take to recover its cluster and be ready. */
const POSTGRES_RESTART_MS = 180_000;

type OnLine = (part: string) => (line: string, stream: 'stdout' | 'stderr') => void;

/** PostgreSQL: DATABASE_URL, or the embedded one. */
export async function provideDatabase(
  env: NodeJS.ProcessEnv,
  data: DataFolder,
  lock: InstanceLock,
  onLine: OnLine,
): Promise<
  Pick<Infrastructure, 'databaseUrl' | 'servers' | 'restarted' | 'parts'> & { description: string }
> {
  if (env.DATABASE_URL)
    return {
      databaseUrl: env.DATABASE_URL,
      servers: [],
      restarted: async () => undefined,
      parts: [],
      description: `DATABASE_URL (${new URL(env.DATABASE_URL).host})`,
    };
  const postgres = await startEmbeddedPostgres(data, onLine('postgres'));
  const track = async () => {
    await lock.track('postgres-host', postgres.child.pid);
    await lock.track('postgres', await postgres.serverPid());
  };
  await track();
  return {
    databaseUrl: postgres.databaseUrl,
    servers: [postgres.child],
    restarted: async () => {
      await postgres.child.until(postgres.child.saidReady(), POSTGRES_RESTART_MS);
      await track();
    },
    parts: [
      {
        name: 'postgres',
        check: async () =>
          !postgres.child.running
            ? 'stopped (see logs/postgres.log)'
            : (await accepts(postgres.port))
              ? null
              : `not accepting connections on ${postgres.port}`,
      },
    ],
    description: `embedded PostgreSQL on 127.0.0.1:${postgres.port}, data in ${postgres.dataDir}`,
  };
}

/** The broker: NATS_URL, or a nats-server from PATH started here, or (null) the in-process bus. */
export async function provideBroker(
  env: NodeJS.ProcessEnv,
  data: DataFolder,
  lock: InstanceLock,
  onLine: OnLine,
): Promise<Pick<Infrastructure, 'natsUrl' | 'servers' | 'restarted' | 'parts'> & { description: string }> {
  const restarted = async () => undefined;
  if (env.NATS_URL)
    return {
      natsUrl: env.NATS_URL,
      servers: [],
      restarted,
      parts: [],
      description: `NATS_URL (${env.NATS_URL})`,
    };
  const executable = await findOnPath('nats-server', env);
  if (!executable)
    return {
      natsUrl: null,
      servers: [],
      restarted,
      parts: [],
      description:
        'in-process bus, every service in one process (no nats-server on PATH; nothing survives a restart)',
    };
  const nats = await startNatsServer(executable, data, onLine('nats'));
  await lock.track('nats', nats.child.pid);
  return {
    natsUrl: nats.url,
    servers: [nats.child],
    restarted: () => lock.track('nats', nats.child.pid),
    parts: [httpHealth('nats', nats.healthUrl)],
    description: `${executable} on ${nats.url}, JetStream in ${data.path('nats')}`,
  };
}

/** The object store: S3 as S3_* say, or the folder `<data>/objects`. */
export function provideStore(
  env: NodeJS.ProcessEnv,
  data: DataFolder,
): { storageDir: string | null; description: string } {
  if (env.S3_ENDPOINT)
    return { storageDir: null, description: `S3 at ${env.S3_ENDPOINT}, bucket ${env.S3_BUCKET ?? 'hydra'}` };
  const storageDir = env.STORAGE_DIR ?? data.path('objects');
  return { storageDir, description: `local folder ${storageDir}` };
}
