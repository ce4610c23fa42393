import { join } from 'node:path';
import type { DataFolder } from './data-folder';
import { httpHealth, type MonitoredPart } from './health-monitor';
import { ManagedChild } from './managed-child';
import { SERVICE_NAMES, type ServiceName, serviceUrl, type Topology } from './service-environment';

/** The services of one `hydra up`: in their own processes (JetStream) or all in one (in-process bus). */
export interface RunningServices {
  children: ManagedChild[];
  parts: MonitoredPart[];
  /** Stops them, producers first, so nothing is announced to a consumer that is gone. */
  stop(): Promise<void>;
}

type OnLine = (part: string) => (line: string, stream: 'stdout' | 'stderr') => void;

const STARTUP_TIMEOUT_MS = 300_000;

const healthParts = (topology: Topology) =>
  SERVICE_NAMES.map((name) => httpHealth(name, `${serviceUrl(topology, name)}/health`));

/** Each service as `node services/<name>/dist/main.js`, as in production; consumers up before ingest. */
export async function startServiceProcesses(
  env: NodeJS.ProcessEnv,
  topology: Topology,
  data: DataFolder,
  onLine: OnLine,
): Promise<RunningServices> {
  const children = new Map<ServiceName, ManagedChild>();
  const start = async (name: ServiceName) => {
    const child = ManagedChild.start({
      name,
      command: process.execPath,
      args: [
        '--require',
        join(__dirname, 'exit-with-parent.js'),
        require.resolve(`@hydra/${name}/dist/main.js`),
      ],
      env: name === 'labeler-api' ? { ...env, HOST: topology.publicHost } : env,
      logFile: data.path('logs', `${name}.log`),
      ipc: true,
      restartable: true,
      onLine: onLine(name),
    });
    children.set(name, child);
    const live = `${serviceUrl(topology, name)}/health/live`;
    await child.until(
      () =>
        fetch(live).then(
          (response) => response.ok,
          () => false,
        ),
      STARTUP_TIMEOUT_MS,
    );
  };
  const stop = async () => {
    for (const group of [
      ['ingest'],
      ['labeler-api'],
      ['classifier', 'explainer', 'trainer'],
    ] as ServiceName[][])
      await Promise.all(group.map((name) => children.get(name)?.stop(30_000)));
  };
  try {
    await Promise.all(SERVICE_NAMES.filter((name) => name !== 'ingest').map(start));
    await start('ingest');
  } catch (error) {
    await stop();
    throw error;
  }
  return { children: [...children.values()], parts: healthParts(topology), stop };
}

/** Every service in one process sharing one in-process bus (all-in-one). */
export async function startAllInOne(
  env: NodeJS.ProcessEnv,
  topology: Topology,
  data: DataFolder,
  onLine: OnLine,
): Promise<RunningServices> {
  const child = ManagedChild.start({
    name: 'services',
    command: process.execPath,
    args: [join(__dirname, 'all-in-one.js')],
    // One process: the explainer's lower priority would slow every service down.
    env: { ...env, EXPLAINER_NICE: '0', HYDRA_PUBLIC_HOST: topology.publicHost },
    logFile: data.path('logs', 'services.log'),
    ipc: true,
    restartable: true,
    onLine: onLine('services'),
  });
  const stop = async () => {
    await child.stop(45_000, () => child.send({ type: 'stop' }) || child.signal('SIGTERM'));
  };
  try {
    await child.until(child.saidReady(), STARTUP_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw error;
  }
  return { children: [child], parts: healthParts(topology), stop };
}
