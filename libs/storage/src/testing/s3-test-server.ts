import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface S3TestServer {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  stop(): void;
}

/**
 * The S3 server for the storage tests: `TEST_S3_ENDPOINT` (+ keys) when given, else a fresh Ceph
 * RADOS Gateway — real S3 with signature checks and multipart, unlike in-process fakes.
 */
export async function startS3TestServer(): Promise<S3TestServer> {
  if (process.env.TEST_S3_ENDPOINT) {
    return {
      endpoint: process.env.TEST_S3_ENDPOINT,
      accessKey: process.env.TEST_S3_ACCESS_KEY ?? '',
      secretKey: process.env.TEST_S3_SECRET_KEY ?? '',
      stop: () => undefined,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'hydra-rgw-'));
  const port = await freePortPair();
  const accessKey = 'HYDRATESTACCESSKEY01';
  const secretKey = 'hydra-test-secret-key-0123456789abcdef';
  // The same relative path from src/testing and dist/testing.
  const script = join(__dirname, '..', '..', 'scripts', 'radosgw.sh');
  try {
    execFileSync('bash', [script, 'start', dir, String(port), accessKey, secretKey], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKey,
    secretKey,
    stop: () => {
      execFileSync('bash', [script, 'stop', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A free port whose successor is free too (the gateway takes one, the monitor the next). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
      server.on('error', reject);
    });
    const nextFree = await new Promise<boolean>((resolve) => {
      const server = createServer().listen(port + 1, '127.0.0.1', () => server.close(() => resolve(true)));
      server.on('error', () => resolve(false));
    });
    if (nextFree && port < 65535) return port;
  }
}
