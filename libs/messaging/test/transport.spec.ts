import { type DeadLetterEvent, deadLetterSubject, type ImageNewEvent, Subjects } from '@hydra/contracts';
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { EventPublisher } from '../src/event-publisher';
import {
  EVENT_TRANSPORT,
  type EventTransport,
  InProcessBus,
  type TransportChoice,
} from '../src/event-transport';
import { JetStreamConnection } from '../src/jetstream/jetstream.connection';
import { MessagingModule, startEventConsumers } from '../src/messaging.module';
import { deleteStream, imageNewInput, isolatedStream, NATS_URL, waitFor } from './support';

/** What the test handler does with each image.new; each test sets it. */
let onImageNew: (event: ImageNewEvent) => Promise<void>;
const deadLetters: DeadLetterEvent[] = [];

@Controller()
class ProbeController {
  @EventPattern(Subjects.imageNew, { concurrency: 4 })
  imageNew(event: ImageNewEvent) {
    return onImageNew(event);
  }

  @EventPattern(deadLetterSubject(Subjects.imageNew))
  deadLetter(event: DeadLetterEvent) {
    deadLetters.push(event);
  }
}

interface Harness {
  choice: () => TransportChoice;
  /** Sends bytes that did not come through the validating publisher. */
  sendRaw: (subject: string, payload: string, id: string) => Promise<void>;
  cleanup: () => Promise<void>;
}

function jetStreamHarness(): Harness {
  const namespace = isolatedStream();
  let raw: JetStreamConnection | undefined;
  return {
    choice: () => ({ kind: 'jetstream', servers: [NATS_URL], options: namespace }),
    sendRaw: async (subject, payload, id) => {
      raw ??= await JetStreamConnection.open({
        servers: [NATS_URL],
        connectionName: 'raw-sender',
        duplicateWindowMs: 60_000,
        maxAgeMs: 3_600_000,
        ...namespace,
      });
      await raw.publish(subject, payload, id);
    },
    cleanup: async () => {
      await raw?.close();
      await deleteStream(namespace.stream);
    },
  };
}

function inProcessHarness(): Harness {
  const bus = new InProcessBus();
  return {
    choice: () => ({ kind: 'in-process', bus }),
    sendRaw: async (subject, payload, id) => void bus.publish(subject, payload, id),
    cleanup: async () => undefined,
  };
}

describe.each([
  ['JetStream', jetStreamHarness],
  ['in-process bus', inProcessHarness],
])('event transport over %s', (_name, makeHarness) => {
  let harness: Harness;

  async function startService(): Promise<INestApplication> {
    @Module({
      imports: [
        MessagingModule.forRoot({
          service: 'probe',
          transport: harness.choice(),
          delivery: { maxDeliver: 3, backoffMs: [20, 40] },
        }),
      ],
      controllers: [ProbeController],
    })
    class ProbeModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ProbeModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await startEventConsumers(app);
    await app.init();
    return app;
  }

  beforeEach(() => {
    harness = makeHarness();
    deadLetters.length = 0;
    onImageNew = async () => undefined;
  });
  afterEach(() => harness.cleanup());

  it('hands every published event to the handler, validated', async () => {
    const handled: ImageNewEvent[] = [];
    onImageNew = async (event) => void handled.push(event);
    const app = await startService();
    const sent = await Promise.all(
      [1, 2, 3].map((run) => app.get(EventPublisher).publish(Subjects.imageNew, imageNewInput(run))),
    );
    await waitFor(() => handled.length === 3, 'three handled events');
    expect(handled.map((event) => event.id).sort()).toEqual(sent.map((event) => event.id).sort());
    await app.close();
  });

  it('handles a re-published message id once', async () => {
    const handled: string[] = [];
    onImageNew = async (event) => void handled.push(event.id);
    const app = await startService();
    const publisher = app.get(EventPublisher);
    const first = await publisher.publish(Subjects.imageNew, imageNewInput(7));
    await publisher.publish(Subjects.imageNew, { ...imageNewInput(7), id: first.id });
    const marker = await publisher.publish(Subjects.imageNew, imageNewInput(8));
    await waitFor(() => handled.includes(marker.id), 'the marker event');
    expect(handled.filter((id) => id === first.id)).toHaveLength(1);
    await app.close();
  });

  it('retries a failing handler with back-off, then dead-letters the message with the error', async () => {
    const attempts: number[] = [];
    onImageNew = async () => {
      attempts.push(Date.now());
      throw new Error('model file is corrupt');
    };
    const app = await startService();
    const sent = await app.get(EventPublisher).publish(Subjects.imageNew, imageNewInput(9));
    await waitFor(() => deadLetters.length === 1, 'a dead letter');
    expect(attempts).toHaveLength(3);
    const [first, , last] = attempts as [number, number, number];
    expect(last - first).toBeGreaterThanOrEqual(50);
    expect(deadLetters[0]).toMatchObject({
      subject: Subjects.imageNew,
      consumer: 'probe__image_new',
      attempts: 3,
      reason: expect.stringContaining('model file is corrupt'),
    });
    expect(JSON.parse(deadLetters[0]?.payload ?? 'null')).toEqual(sent);
    await app.close();
  });

  it('recovers when a handler fails once', async () => {
    const handled: string[] = [];
    onImageNew = async (event) => {
      handled.push(event.id);
      if (handled.length === 1) throw new Error('database restarting');
    };
    const app = await startService();
    const publisher = app.get(EventPublisher);
    const failing = await publisher.publish(Subjects.imageNew, imageNewInput(10));
    await waitFor(() => handled.length === 2, 'a successful second attempt');
    // Sent after the success: by the time it is handled the first has had its two tries, no third.
    const marker = await publisher.publish(Subjects.imageNew, imageNewInput(12));
    await waitFor(() => handled.includes(marker.id), 'the marker event');
    expect(handled).toEqual([failing.id, failing.id, marker.id]);
    expect(deadLetters).toHaveLength(0);
    await app.close();
  });

  it('never hands a malformed payload to the handler: it goes to the DLQ with the validation error', async () => {
    const handled: unknown[] = [];
    onImageNew = async (event) => void handled.push(event);
    const app = await startService();
    const { sha256: _missing, ...payload } = {
      ...imageNewInput(11),
      id: '0b1e4a4e-8b8e-4f7c-9d53-2d1f5c3b7a10',
      occurredAt: new Date().toISOString(),
    };
    await harness.sendRaw(Subjects.imageNew, JSON.stringify(payload), payload.id);
    await harness.sendRaw(Subjects.imageNew, 'not json at all', 'not-json-1');
    await waitFor(() => deadLetters.length === 2, 'two dead letters');
    const reasons = deadLetters.map((letter) => letter.reason).sort();
    expect(reasons[0]).toMatch(/^invalid image\.new payload: .*sha256/s);
    expect(reasons[1]).toMatch(/^payload is not JSON/);
    expect(deadLetters.find((letter) => letter.payload === 'not json at all')).toBeDefined();
    expect(handled).toHaveLength(0);
    await app.close();
  });

  it('refuses to publish an invalid event', async () => {
    const app = await startService();
    await expect(
      app.get(EventPublisher).publish(Subjects.imageNew, { ...imageNewInput(12), plotType: '../../etc' }),
    ).rejects.toThrow(/refusing to publish: invalid image\.new payload/);
    await app.close();
  });

  it('reports the broker in its health check', async () => {
    const app = await startService();
    await expect(app.get<EventTransport>(EVENT_TRANSPORT).check()).resolves.toBeUndefined();
    await app.close();
  });
});
