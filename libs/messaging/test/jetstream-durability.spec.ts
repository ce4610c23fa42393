import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subjects } from '@hydra/contracts';
import { openEventTransport, type EventTransport } from '../src/event-transport';
import { deleteStream, imageNewInput, isolatedStream, NATS_URL, waitFor } from './support';

const EVENTS = 600;

describe('JetStream durability', () => {
  const namespace = isolatedStream();
  const workDir = mkdtempSync(join(tmpdir(), 'hydra-crash-'));
  mkdirSync(join(workDir, 'effects'));
  const children: ChildProcess[] = [];
  let producer: EventTransport;

  const effects = () => readdirSync(join(workDir, 'effects')).length;
  const handledLines = () =>
    existsSync(join(workDir, 'handled.log'))
      ? readFileSync(join(workDir, 'handled.log'), 'utf8').trim().split('\n')
      : [];

  function startConsumer(): Promise<ChildProcess> {
    const child = fork(
      join(__dirname, 'fixtures/consumer-process.ts'),
      [NATS_URL, namespace.stream, namespace.subjectPrefix, workDir],
      {
        execArgv: ['-r', 'ts-node/register/transpile-only'],
        env: {
          ...process.env,
          TS_NODE_PROJECT: join(__dirname, '../tsconfig.json'),
          TS_NODE_COMPILER_OPTIONS: JSON.stringify({ module: 'commonjs', moduleResolution: 'node10' }),
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    children.push(child);
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve(child));
      child.once('exit', (code) => reject(new Error(`consumer exited with ${code} before it was ready`)));
    });
  }

  beforeAll(async () => {
    producer = await openEventTransport({
      service: 'crash-producer',
      transport: { kind: 'jetstream', servers: [NATS_URL], options: namespace },
    });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(workDir, { recursive: true, force: true });
    await producer.close();
    await deleteStream(namespace.stream);
  });

  it('loses no event to a consumer that was down or SIGKILLed, and duplicates have no second effect', async () => {
    // The durable consumer exists from a first start; then it is down while events are published.
    const first = await startConsumer();
    first.kill('SIGTERM');
    await new Promise((resolve) => first.once('exit', resolve));

    const ids = new Set<string>();
    for (let run = 0; run < EVENTS; run++) {
      ids.add((await producer.publisher.publish(Subjects.imageNew, imageNewInput(run))).id);
    }

    const victim = await startConsumer();
    await waitFor(() => effects() >= EVENTS / 4, 'a quarter of the events handled');
    victim.kill('SIGKILL');
    await new Promise((resolve) => victim.once('exit', resolve));
    const handledBeforeKill = effects();
    expect(handledBeforeKill).toBeLessThan(EVENTS);

    const survivor = await startConsumer();
    await waitFor(() => effects() === EVENTS, `all ${EVENTS} events handled`, 60_000);
    survivor.kill('SIGTERM');
    await new Promise((resolve) => survivor.once('exit', resolve));

    const handledIds = new Set(handledLines().map((line) => line.split(' ')[1]));
    expect([...ids].filter((id) => !handledIds.has(id))).toEqual([]);
    expect(new Set(readdirSync(join(workDir, 'effects')))).toEqual(ids);
    // Every stream sequence the producer wrote was handled at least once.
    const sequences = new Set(handledLines().map((line) => Number(line.split(' ')[0])));
    expect(sequences.size).toBe(EVENTS);
  }, 120_000);
});
