import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@hydra/messaging/testing';
import { freePort, type ServiceTestBed, startServiceTestBed } from '@hydra/testing';

let bed: ServiceTestBed;
let folder: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  bed = await startServiceTestBed('hydra_ingest_shutdown');
  folder = await mkdtemp(join(tmpdir(), 'hydra-ingest-shutdown-'));
}, 60_000);

afterAll(async () => {
  child?.kill('SIGKILL');
  await bed?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('ingest as a process', () => {
  it('says that it stops, and why, when it is sent SIGTERM', async () => {
    const port = await freePort();
    child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(__dirname, '../src/main.ts')],
      {
        cwd: join(__dirname, '..'),
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(__dirname, '../tsconfig.json'),
          DATABASE_URL: bed.databaseUrl,
          NATS_STREAM: bed.namespace.stream,
          NATS_SUBJECT_PREFIX: bed.namespace.subjectPrefix,
          STORAGE_DIR: join(folder, 'objects'),
          WATCH_DIRS: join(folder, 'watch'),
          INGEST_PORT: String(port),
          LOG_FORMAT: 'json',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const live = () =>
      fetch(`http://127.0.0.1:${port}/health/live`).then(
        (response) => response.ok,
        () => false,
      );
    await waitFor(async () => child?.exitCode !== null || (await live()), 'ingest to start', 45_000);
    expect({ exitCode: child.exitCode, output: child.exitCode === null ? '' : output }).toEqual({
      exitCode: null,
      output: '',
    });
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    expect(output).toMatch(/ingest stopping \(SIGTERM\)/);
  }, 60_000);
});
