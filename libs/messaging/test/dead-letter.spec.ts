import { type DeadLetterEvent, deadLetterSubject, type ImageNewEvent, Subjects } from '@hydra/contracts';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Controller, type INestApplication, Module } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { EventPublisher } from '../src/event-publisher';
import { JetStreamConnection } from '../src/jetstream/jetstream.connection';
import { supportsTermReason } from '../src/jetstream/jetstream.server';
import { messagesTotal } from '../src/messaging.metrics';
import { MessagingModule, startEventConsumers } from '../src/messaging.module';
import { deleteStream, imageNewInput, isolatedStream, NATS_URL, waitFor } from './support';

/** Runs at or above this are poison: the handler always throws for them. */
const POISON_RUN = 1_000;
const handled: ImageNewEvent[] = [];
const deadLetters: DeadLetterEvent[] = [];

@Controller()
class PoisonController {
  @EventPattern(Subjects.imageNew, { concurrency: 4 })
  async imageNew(event: ImageNewEvent) {
    if (event.runNumber >= POISON_RUN) throw new Error(`run ${event.runNumber} is poison`);
    handled.push(event);
  }

  @EventPattern(deadLetterSubject(Subjects.imageNew))
  deadLetter(event: DeadLetterEvent) {
    deadLetters.push(event);
  }
}

async function deadLettersCounted(): Promise<number> {
  const { values } = await messagesTotal.get();
  return (
    values.find(
      (value) => value.labels.subject === Subjects.imageNew && value.labels.outcome === 'dead-letter',
    )?.value ?? 0
  );
}

describe('dead letters on the JetStream server at hand', () => {
  const namespace = isolatedStream();
  let app: INestApplication;

  beforeAll(async () => {
    @Module({
      imports: [
        MessagingModule.forRoot({
          service: 'poison',
          transport: { kind: 'jetstream', servers: [NATS_URL], options: namespace },
          // A short ack wait: a dead letter the server did not take off the consumer comes back soon.
          delivery: { maxDeliver: 2, backoffMs: [20], ackWaitMs: 300 },
        }),
      ],
      controllers: [PoisonController],
    })
    class PoisonModule {}
    const moduleRef = await Test.createTestingModule({ imports: [PoisonModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await startEventConsumers(app);
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await deleteStream(namespace.stream);
  });

  it('takes every dead letter off the consumer once, counts it once, and keeps the good messages flowing', async () => {
    const counted = await deadLettersCounted();
    const publisher = app.get(EventPublisher);
    const poison = 6;
    for (let index = 0; index < poison - 1; index++)
      await publisher.publish(Subjects.imageNew, imageNewInput(POISON_RUN + index));
    // One that never reaches the handler (it fails its schema) is dead-lettered the same way.
    const raw = await JetStreamConnection.open({
      servers: [NATS_URL],
      connectionName: 'raw-sender',
      duplicateWindowMs: 60_000,
      maxAgeMs: 3_600_000,
      ...namespace,
    });
    await raw.publish(Subjects.imageNew, 'not json', 'poison-not-json');
    await raw.close();
    await waitFor(() => deadLetters.length === poison, `${poison} dead letters`);

    const good = await Promise.all(
      [1, 2, 3].map((run) => publisher.publish(Subjects.imageNew, imageNewInput(run))),
    );
    await waitFor(() => handled.length === good.length, 'the good messages after the poison ones');

    // Nothing of image.new is left with the consumer, so nothing can be redelivered or counted again.
    const nats = await connect({ servers: NATS_URL });
    const manager = await jetstreamManager(nats);
    const consumer = () => manager.consumers.info(namespace.stream, 'poison__image_new');
    try {
      await waitFor(
        async () => {
          const info = await consumer();
          return info.num_ack_pending === 0 && info.num_pending === 0;
        },
        'no message of image.new pending or awaiting its acknowledgement',
        // Longer than several ack waits: before the fix the dead letters came back every 300 ms.
        5_000,
      );
      expect(deadLetters).toHaveLength(poison);
      expect(new Set(deadLetters.map((letter) => letter.streamSequence)).size).toBe(poison);
      expect((await deadLettersCounted()) - counted).toBe(poison);
      const dlq = await manager.streams.info(namespace.stream, {
        subjects_filter: `${namespace.subjectPrefix}${deadLetterSubject(Subjects.imageNew)}`,
      });
      expect(dlq.state.subjects?.[`${namespace.subjectPrefix}${deadLetterSubject(Subjects.imageNew)}`]).toBe(
        poison,
      );
    } finally {
      await nats.close();
    }
  }, 30_000);
});

describe('supportsTermReason', () => {
  it.each([
    ['2.9.10', false],
    ['2.9.25', false],
    ['2.10.0', true],
    ['2.11.4', true],
    ['3.0.0', true],
    [undefined, false],
  ])('nats-server %s → %s', (version, expected) => {
    expect(supportsTermReason(version)).toBe(expected);
  });
});
