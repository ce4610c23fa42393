import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { DataFolder } from './data-folder';
import { ManagedChild } from './managed-child';
import { accepts, freePort } from './ports';

export interface LocalNatsServer {
  child: ManagedChild;
  url: string;
  /** Its monitoring endpoint's health check (JetStream included). */
  healthUrl: string;
}

/** The first executable `name` on PATH, or null. */
export async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  for (const folder of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(folder, name);
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return null;
}

/** `nats-server` with JetStream, its store in `<data>/nats`, on free ports of 127.0.0.1 only. */
export async function startNatsServer(
  executable: string,
  data: DataFolder,
  onLine: (line: string, stream: 'stdout' | 'stderr') => void,
): Promise<LocalNatsServer> {
  const [port, monitorPort] = [await freePort(), await freePort()];
  const child = ManagedChild.start({
    name: 'nats',
    command: executable,
    args: [
      '--jetstream',
      '--store_dir',
      data.path('nats'),
      '--addr',
      '127.0.0.1',
      '--port',
      String(port),
      '--http_port',
      String(monitorPort),
      '--server_name',
      'hydra-up',
    ],
    env: process.env,
    logFile: data.path('logs', 'nats.log'),
    onLine,
    // Its ports and JetStream folder stay the same, so the services reconnect and resume.
    restartable: true,
  });
  const healthUrl = `http://127.0.0.1:${monitorPort}/healthz?js-enabled-only=true`;
  try {
    await child.until(
      async () =>
        (await accepts(port)) &&
        (await fetch(healthUrl).then(
          (response) => response.ok,
          () => false,
        )),
      60_000,
    );
  } catch (error) {
    await child.stop(5_000);
    throw error;
  }
  return { child, url: `nats://127.0.0.1:${port}`, healthUrl };
}
