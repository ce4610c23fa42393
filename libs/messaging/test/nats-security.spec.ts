import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventTransport } from '../src/event-transport';
import { transportFromEnv } from '../src/transport-from-env';

// A nats-server of the test's own, started with the options under test; skipped where none is installed.
const NATS_SERVER = ['/usr/sbin/nats-server', '/usr/local/bin/nats-server', '/usr/bin/nats-server'].find(
  (path) => {
    try {
      execFileSync(path, ['--version']);
      return true;
    } catch {
      return false;
    }
  },
);
const describeWithServer = NATS_SERVER ? describe : describe.skip;

let folder: string;
const servers: ChildProcess[] = [];

/** Starts nats-server with JetStream and `args` on a port it picks; resolves to its URL once it listens. */
async function startServer(args: string[]): Promise<string> {
  const store = mkdtempSync(join(folder, 'store-'));
  const child = spawn(NATS_SERVER as string, ['-a', '127.0.0.1', '-p', '-1', '-js', '-sd', store, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start:\n${output}`)), 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /Listening for client connections on [\d.]+:(\d+)/.exec(output);
      if (listening && /Server is ready/.test(output)) {
        clearTimeout(timer);
        resolve(`nats://127.0.0.1:${listening[1]}`);
      }
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited (${code}):\n${output}`)));
  });
}

/** Opens the transport exactly as a service does from its environment, checks the stream, closes. */
async function connectAs(env: NodeJS.ProcessEnv): Promise<void> {
  const transport = await openEventTransport({
    service: 'security-test',
    transport: transportFromEnv({ NATS_STREAM: 'HYDRA_SECURITY_TEST', ...env }),
  });
  try {
    await transport.check();
  } finally {
    await transport.close();
  }
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'hydra-nats-security-'));
});

afterAll(async () => {
  await Promise.all(
    servers.map(async (child) => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
  rmSync(folder, { recursive: true, force: true });
});

describeWithServer('NATS credentials and TLS against a real nats-server', () => {
  it('reaches a TLS-only server whose self-signed certificate NATS_TLS_CA_FILE trusts, and no other way', async () => {
    const [cert, key] = [join(folder, 'server.pem'), join(folder, 'server.key')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const url = await startServer(['--tls', '--tlscert', cert, '--tlskey', key]);

    await expect(connectAs({ NATS_URL: url, NATS_TLS_CA_FILE: cert })).resolves.toBeUndefined();
    await expect(connectAs({ NATS_URL: url })).rejects.toThrow(/self[- ]signed certificate/i);
  }, 30_000);

  it('logs in with NATS_USER and NATS_PASSWORD, and is refused with a wrong password', async () => {
    const url = await startServer(['--user', 'hydra', '--pass', 'correct-horse']);

    await expect(
      connectAs({ NATS_URL: url, NATS_USER: 'hydra', NATS_PASSWORD: 'correct-horse' }),
    ).resolves.toBeUndefined();
    await expect(connectAs({ NATS_URL: url, NATS_USER: 'hydra', NATS_PASSWORD: 'wrong' })).rejects.toThrow(
      /authorization/i,
    );
  }, 30_000);
});
