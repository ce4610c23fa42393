import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageOutbox } from '@hydra/db';
import { defaultJetStreamOptions, InProcessBus, JetStreamConnection } from '@hydra/messaging';
import {
  type PrivateNatsServer,
  type RecordedEvent,
  recordEvents,
  startPrivateNatsServer,
  waitFor,
} from '@hydra/messaging/testing';
import { simulatePlot } from '@hydra/simulator';
import { type ServiceTestBed, startServiceTestBed, storeImage } from '@hydra/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createIngestApp } from '../src/ingest.app';
import { metric, testConfig, upload } from './support/ingest-bed';

// Each image.new must be in the stream once, whatever the broker did meanwhile.
jest.setTimeout(90_000);

let bed: ServiceTestBed;
let nats: PrivateNatsServer;
/** While the test has NATS stopped (ingest cannot close its NATS connection then). */
let natsDown = false;
let storeDir: string;
let watchRoot: string;
let app: NestExpressApplication | null = null;

/** Ingest on the test's own nats-server (or on an in-process bus), listening on a free port. */
async function startIngest(transport?: { kind: 'in-process'; bus: InProcessBus }) {
  const connections = bed.connections(bed.store, {
    transport: transport ?? { kind: 'jetstream', servers: [nats.url], options: bed.namespace },
  });
  app = await createIngestApp(testConfig(bed, watchRoot), connections);
  await app.listen(0, '127.0.0.1');
  return app.getUrl();
}

async function stopIngest() {
  await app?.close();
  app = null;
}

/** What the stream holds: its message count, and every image.new in order. */
async function readStream(): Promise<{ messages: number; announced: string[] }> {
  const connection = await JetStreamConnection.open({
    ...defaultJetStreamOptions,
    ...bed.namespace,
    servers: [nats.url],
    connectionName: 'outbox-test-reader',
  });
  try {
    const { state } = await connection.manager.streams.info(bed.namespace.stream);
    const recorded = await recordEvents(bed.namespace, 'image.new', nats.url);
    await waitFor(() => recorded.events.length >= state.messages, 'the stream to be read');
    await recorded.stop();
    return {
      messages: state.messages,
      announced: recorded.events.map((event: RecordedEvent) => String(event.data.imageId)),
    };
  } finally {
    await connection.close();
  }
}

const plot = (seed: number) => simulatePlot('FCAL_occupancy', 'Good', seed);

beforeAll(async () => {
  bed = await startServiceTestBed('hydra_ingest_outbox');
  storeDir = await mkdtemp(join(tmpdir(), 'hydra-outbox-nats-'));
  watchRoot = await mkdtemp(join(tmpdir(), 'hydra-outbox-watch-'));
  nats = await startPrivateNatsServer({ storeDir });
}, 60_000);

afterAll(async () => {
  if (natsDown) nats = await startPrivateNatsServer({ port: nats.port, storeDir });
  await stopIngest();
  await nats?.stop();
  await bed?.stop();
  await rm(storeDir, { recursive: true, force: true });
  await rm(watchRoot, { recursive: true, force: true });
});

describe('the image.new outbox', () => {
  it('answers uploads at once while NATS is down, and announces each image exactly once when it is back', async () => {
    const url = await startIngest();
    const before = await upload(url, 'plotType=FCAL_occupancy&runNumber=1&chunk=0', (await plot(499)).png);
    expect(before.status).toBe(201);

    const pngs = await Promise.all(Array.from({ length: 12 }, (_, index) => plot(500 + index)));
    await nats.stop();
    natsDown = true;
    const replies: { status: number; ms: number; imageId: string }[] = [];
    for (const [index, plot] of pngs.entries()) {
      const started = performance.now();
      const response = await upload(url, `plotType=FCAL_occupancy&runNumber=2&chunk=${index}`, plot.png);
      const { imageId } = (await response.json()) as { imageId: string };
      replies.push({ status: response.status, ms: performance.now() - started, imageId });
    }
    // Stored and answered without waiting for the broker (it used to wait 5 s, then answer 500).
    expect(replies.map((reply) => reply.status)).toEqual(Array(pngs.length).fill(201));
    expect(Math.max(...replies.map((reply) => reply.ms))).toBeLessThan(1_000);
    const backlog = () => metric(url, /^hydra_ingest_outbox_backlog[{ ]/);
    expect(await backlog()).toBeGreaterThanOrEqual(pngs.length);
    // Still ready (uploads are what the outbox keeps), with the reason in the details.
    await waitFor(async () => {
      const response = await fetch(`${url}/health`);
      const health = (await response.json()) as { details?: { outbox?: { degraded?: string } } };
      return (
        response.status === 200 &&
        /^degraded: \d+ stored images wait/.test(health.details?.outbox?.degraded ?? '')
      );
    }, '/health to stay ready and say that announcements wait for the broker');

    nats = await startPrivateNatsServer({ port: nats.port, storeDir });
    natsDown = false;
    await waitFor(async () => (await backlog()) === 0, 'the outbox to empty', 60_000);
    const stream = await readStream();
    const expected = [(await before.json()) as { imageId: string }, ...replies].map((reply) => reply.imageId);
    expect([...stream.announced].sort()).toEqual([...expected].sort());
    expect(stream.messages).toBe(expected.length);
    await stopIngest();
  });

  it('sends at start-up what a crashed ingest stored but never announced', async () => {
    const { png, width, height } = await plot(600);
    const image = await storeImage(bed.db, bed.store, { width, height }, 'FCAL_occupancy', png);
    await bed.db.getRepository(ImageOutbox).insert({ imageId: image.id });
    const url = await startIngest();
    await waitFor(
      async () => (await readStream()).announced.includes(image.id),
      'the left-over image.new to be sent',
      30_000,
    );
    await waitFor(
      async () => (await metric(url, /^hydra_ingest_outbox_backlog[{ ]/)) === 0,
      'the outbox to empty',
    );
    await stopIngest();
  });

  it('announces on the in-process bus as well, where there is no NATS', async () => {
    const bus = new InProcessBus();
    const heard: string[] = [];
    bus.listen((delivery) => heard.push(delivery.subject));
    const url = await startIngest({ kind: 'in-process', bus });
    const { png } = await plot(700);
    const response = await upload(url, 'plotType=FCAL_occupancy&runNumber=3&chunk=0', png);
    expect(response.status).toBe(201);
    await waitFor(() => heard.includes('image.new'), 'image.new on the in-process bus');
    await stopIngest();
  });
});
