import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { migrate } from '@hydra/db';
import type { CliContext } from '../cli-context';
import { consoleLine } from './child-output';
import { DataFolder } from './data-folder';
import { startDemo } from './demo/demo';
import { HealthMonitor } from './health-monitor';
import { provideBroker, provideDatabase, provideStore } from './infrastructure';
import { InstanceLock } from './instance-lock';
import type { ManagedChild } from './managed-child';
import { assertPortFree, freePort } from './ports';
import { type RunningServices, startAllInOne, startServiceProcesses } from './services';
import { SERVICE_NAMES, type ServiceName, serviceEnvironment, type Topology } from './service-environment';
import { printSummary } from './summary';

export interface UpOptions {
  /** The data folder. */
  data: string;
  /** labeler-api's port: the web app and the API. */
  port: number;
  /** labeler-api's address: 127.0.0.1 (this machine only) or 0.0.0.0 (the network). */
  host: string;
  /** More folders for ingest to watch. */
  watch: string[];
  demo: boolean;
  /** Demo plots per second, all plot types together. */
  demoRate: number;
  /** Labeled plots per demo plot type on the first start. */
  demoImages: number;
  /** Every log line on the console, not only warnings and errors. */
  verbose: boolean;
}

/**
 * `hydra up`: the whole system on this machine, from what is configured or embedded, until SIGINT or
 * SIGTERM; then every part is stopped, services before the broker and database they need.
 */
export async function runUp(options: UpOptions, context: CliContext): Promise<void> {
  const startedAt = Date.now();
  const say = (line: string) => context.print(`hydra | ${line}`);
  const data = new DataFolder(options.data);
  await data.prepare();
  const lock = await InstanceLock.acquire(data.path('hydra.lock'), data.root, say);

  const servers: ManagedChild[] = [];
  let services: RunningServices | undefined;
  let monitor: HealthMonitor | undefined;
  let demo: { stop(): Promise<void> } | undefined;
  let stopping = false;
  let signalled: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (signalled = resolve));
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return say(`already stopping (${signal} again is ignored; it takes a few seconds)`);
    stopping = true;
    say(`${signal}: stopping every part…`);
    signalled();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const onLine = (part: string) => (line: string, stream: 'stdout' | 'stderr') => {
    const shown = consoleLine(part, line, stream, options.verbose);
    if (shown !== null) context.print(shown);
  };

  try {
    await assertPortFree(options.port);
    const env = context.env;
    const database = await provideDatabase(env, data, lock, onLine);
    servers.push(...database.servers);
    const applied = await migrate(database.databaseUrl);
    if (applied.length) say(`database: applied ${applied.length} migration(s)`);
    const broker = await provideBroker(env, data, lock, onLine);
    servers.push(...broker.servers);
    const store = provideStore(env, data);
    for (const { servers: started, restarted } of [database, broker])
      for (const server of started) supervise(server, () => stopping, say, data, restarted);

    const demoFolder = data.path('demo-plots');
    if (options.demo) await mkdir(demoFolder, { recursive: true });
    const topology: Topology = {
      databaseUrl: database.databaseUrl,
      natsUrl: broker.natsUrl,
      storageDir: store.storageDir,
      ports: await servicePorts(options.port),
      publicUrl: `http://127.0.0.1:${options.port}`,
      publicHost: options.host,
      internalToken: env.INTERNAL_API_TOKEN ?? (await data.secret('internal-token')),
      adminName: env.HYDRA_ADMIN_USER ?? 'admin',
      adminPassword:
        env.HYDRA_ADMIN_PASSWORD ??
        (await data.secret('admin-password', () => randomBytes(15).toString('base64url'))),
      watchDirs: [
        ...(env.WATCH_DIRS ?? '').split(new RegExp(`[,${delimiter}]`)).filter(Boolean),
        ...options.watch.map((folder) => resolve(folder)),
        ...(options.demo ? [demoFolder] : []),
      ],
      webDir: env.WEB_DIR ?? builtWebApp(),
    };
    const serviceEnv = serviceEnvironment(env, topology);
    if (!stopping) {
      say(`starting the services${broker.natsUrl ? '' : ' (one process, in-process bus)'}…`);
      services = await (broker.natsUrl ? startServiceProcesses : startAllInOne)(
        serviceEnv,
        topology,
        data,
        onLine,
      );
      for (const child of services.children) supervise(child, () => stopping, say, data);
    }
    if (services && !stopping) {
      monitor = new HealthMonitor([...database.parts, ...broker.parts, ...services.parts], say);
      const health = await monitor.waitUntilWell(120_000);
      printSummary(context, {
        seconds: (Date.now() - startedAt) / 1000,
        data,
        topology,
        health,
        adminPasswordFrom: env.HYDRA_ADMIN_PASSWORD ? 'HYDRA_ADMIN_PASSWORD' : data.path('admin-password'),
        descriptions: {
          database: database.description,
          broker: broker.description,
          store: store.description,
        },
      });
      monitor.watch(5_000);
    }
    if (options.demo && !stopping)
      demo = await startDemo({
        data,
        folder: demoFolder,
        baseUrl: topology.publicUrl,
        admin: { name: topology.adminName, password: topology.adminPassword },
        rate: options.demoRate,
        imagesPerPlotType: options.demoImages,
        startedAt,
        report: say,
      });
    await stopRequested;
  } finally {
    // However it ends (a signal, or a part that failed to start), what stops now is not restarted.
    stopping = true;
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    monitor?.stop();
    await demo?.stop();
    await services?.stop();
    for (const server of [...servers].reverse()) await server.stop(30_000);
    await lock.release();
    say('stopped');
  }
}

/** The web app `npm start` built beside this command in the repository (web/dist), if it is there. */
function builtWebApp(): string | null {
  const webDir = join(__dirname, '..', '..', '..', 'web', 'dist');
  return existsSync(join(webDir, 'index.html')) ? webDir : null;
}

/** Free internal ports for every service but labeler-api, which takes `--port`. */
async function servicePorts(port: number): Promise<Record<ServiceName, number>> {
  const ports = {} as Record<ServiceName, number>;
  for (const name of SERVICE_NAMES) ports[name] = name === 'labeler-api' ? port : await freePort();
  return ports;
}

/** A restartable part is started again at most this many times within RESTART_WINDOW_MS. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 10 * 60_000;

/**
 * A part that stops on its own is said at once (the health summary follows) and, where it is
 * restartable (the database, the broker, a service), started again after a pause that grows with each restart;
 * one that keeps stopping is left stopped after MAX_RESTARTS in RESTART_WINDOW_MS. `restarted` runs
 * after each restart (it waits for the part to be ready, and records its new pids).
 */
function supervise(
  child: ManagedChild,
  stopping: () => boolean,
  say: (line: string) => void,
  data: DataFolder,
  restarted: () => Promise<void> = async () => undefined,
) {
  const restarts: number[] = [];
  const watch = async (): Promise<void> => {
    const exit = await child.exited;
    if (stopping()) return;
    const stopped = `${child.name} stopped unexpectedly (exit ${exit.code ?? exit.signal}); its log: ${data.path('logs', `${child.name}.log`)}`;
    const now = Date.now();
    restarts.push(now);
    while ((restarts[0] as number) < now - RESTART_WINDOW_MS) restarts.shift();
    if (!child.restartable) return say(stopped);
    if (restarts.length > MAX_RESTARTS)
      return say(
        `${stopped}; not started again: it stopped ${restarts.length} times in ${RESTART_WINDOW_MS / 60_000} minutes`,
      );
    say(
      `${stopped}; starting it again (${restarts.length} of ${MAX_RESTARTS} in ${RESTART_WINDOW_MS / 60_000} minutes)`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000 * restarts.length));
    if (stopping()) return;
    child.restart();
    // One that stops again before it is ready is seen below, like any other stop.
    await restarted().catch((error: unknown) =>
      say(
        `${child.name} started again, but: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      ),
    );
    return watch();
  };
  void watch();
}
