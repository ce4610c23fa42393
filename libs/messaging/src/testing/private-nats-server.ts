import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A JetStream `nats-server` of one test's own, which the test may kill and bring back. */
export interface PrivateNatsServer {
  url: string;
  port: number;
  /** Its JetStream store; kept across restarts, so streams and consumers survive them. */
  storeDir: string;
  stop(): Promise<void>;
  /** Ends the server with `signal` (SIGKILL: a crash) and starts it again on the same port and store. */
  restart(signal?: NodeJS.Signals): Promise<void>;
}

/** The executable: `NATS_SERVER`, else `nats-server` on PATH. */
const EXECUTABLE = process.env.NATS_SERVER ?? 'nats-server';
const READY_TIMEOUT_MS = 15_000;

/**
 * Starts `nats-server -js` on 127.0.0.1 (`port`, or one the server picks) with its store in
 * `storeDir` (or a temporary folder, removed by `stop`); resolves once it accepts clients.
 */
export async function startPrivateNatsServer(
  options: { port?: number; storeDir?: string } = {},
): Promise<PrivateNatsServer> {
  const storeDir = options.storeDir ?? (await mkdtemp(join(tmpdir(), 'hydra-nats-')));
  let running = await launch(options.port ?? -1, storeDir).catch(async (error: unknown) => {
    if (!options.storeDir) await rm(storeDir, { recursive: true, force: true });
    throw error;
  });
  const port = running.port;
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    stop: async () => {
      await end(running.child, 'SIGTERM');
      if (!options.storeDir) await rm(storeDir, { recursive: true, force: true });
    },
    restart: async (signal = 'SIGTERM') => {
      await end(running.child, signal);
      running = await launch(port, storeDir);
    },
  };
}

async function launch(port: number, storeDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(EXECUTABLE, ['-js', '-sd', storeDir, '-a', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  let listening: number | null = null;
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`nats-server ${reason}:\n${output.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`was not ready within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.on('error', (error) => fail(`could not start (${error.message})`));
    child.on('exit', (code) => fail(`exited with ${code}`));
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      listening ??= Number(/Listening for client connections on [^\s]+:(\d+)/.exec(output)?.[1]) || null;
      // Logged once JetStream is up, after the listener.
      if (listening !== null && output.includes('Server is ready')) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        resolve({ child, port: listening });
      }
    });
  });
}

async function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}
