import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '@hydra/service';

export { freePort };

/** A Hydra service running as its own process, as in production. */
export interface ServiceProcess {
  url: string;
  /** The operating system's process id of the current run (its memory can be read under /proc). */
  readonly pid: number;
  /** SIGKILL: a crash, nothing drained. */
  kill(): Promise<void>;
  /** SIGTERM: a graceful stop. */
  stop(): Promise<void>;
  /** Starts it again after a kill or stop, on the same port (its callers keep their address). */
  restart(): Promise<void>;
}

/**
 * Starts `node <script>` with `env` (plus `portVariable` set to a free port) and waits until its
 * `/health/live` answers; fails with the end of its output when it exits or never comes up.
 */
export async function startServiceProcess(
  script: string,
  portVariable: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<ServiceProcess> {
  const port = await freePort();
  const launch = () => spawnAndWait(script, { ...env, [portVariable]: String(port) }, port, timeoutMs);
  let child = await launch();
  return {
    url: `http://127.0.0.1:${port}`,
    get pid() {
      return child.pid as number;
    },
    kill: () => end(child, 'SIGKILL'),
    stop: () => end(child, 'SIGTERM'),
    restart: async () => {
      if (child.exitCode === null && child.signalCode === null)
        throw new Error(`${script} is still running: kill or stop it first`);
      child = await launch();
    },
  };
}

async function spawnAndWait(
  script: string,
  env: Record<string, string>,
  port: number,
  timeoutMs: number,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const deadline = Date.now() + timeoutMs;
  while (
    !(await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (response) => response.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not start (exit ${child.exitCode}):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child;
}

async function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}
