import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_DATABASE_SERVER_URL } from '@hydra/db/testing';
import { deleteStream, isolatedStream, waitFor } from '@hydra/messaging/testing';

const namespace = isolatedStream();
let folder: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'hydra-service-shutdown-'));
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await deleteStream(namespace.stream);
  await rm(folder, { recursive: true, force: true });
});

describe('a service process', () => {
  it('says when it begins to stop, why and what it closes, and that it has stopped, then exits 0', async () => {
    child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(__dirname, 'fixtures/service-main.ts')],
      {
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(__dirname, '../tsconfig.json'),
          DATABASE_URL: TEST_DATABASE_SERVER_URL,
          NATS_STREAM: namespace.stream,
          NATS_SUBJECT_PREFIX: namespace.subjectPrefix,
          STORAGE_DIR: folder,
          // Port 0: the kernel picks one when the service listens, so no other process can take it
          // between a lookup and the listen; the service's own log line says which.
          FIXTURE_PORT: '0',
          LOG_FORMAT: 'json',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const address = () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    const live = async () => {
      const url = address();
      return (
        url !== undefined &&
        fetch(`${url}/health`).then(
          (response) => response.ok,
          () => false,
        )
      );
    };
    await waitFor(async () => child?.exitCode !== null || (await live()), 'the service to be ready', 45_000);
    expect({ exitCode: child.exitCode, output: child.exitCode === null ? '' : output }).toEqual({
      exitCode: null,
      output: '',
    });

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code, signal] = await exited;

    const messages = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg: string }).msg);
    const stopping = messages.findIndex((message) =>
      /^fixture stopping \(SIGTERM\): closing its HTTP server, event consumers, broker and database connections$/.test(
        message,
      ),
    );
    const stopped = messages.findIndex((message) =>
      /^fixture stopped \(SIGTERM\) after \d+ ms$/.test(message),
    );
    expect({ code, signal, stopping: stopping >= 0, stoppedLast: stopped === messages.length - 1 }).toEqual({
      code: 0,
      signal: null,
      stopping: true,
      stoppedLast: true,
    });
  }, 60_000);
});
