import { randomUUID } from 'node:crypto';
import { type ImageClassifiedEvent, Subjects } from '@hydra/contracts';
import {
  type EventTransport,
  InProcessBus,
  openEventTransport,
  type TransportChoice,
} from '../src/event-transport';
import { defaultJetStreamOptions, JetStreamConnection } from '../src/jetstream/jetstream.connection';
import { liveFeedInvalidTotal } from '../src/live/feed-event';
import type { FeedEvent } from '../src/live/live-feed';
import { classifiedPayload, deleteStream, imageNewInput, isolatedStream, NATS_URL, waitFor } from './support';

const LIVE = [Subjects.imageClassified, 'alarm.>'];

interface Harness {
  choice: TransportChoice;
  /** Sends bytes that did not come through the validating publisher. */
  sendRaw(subject: string, payload: string): Promise<void>;
  cleanup(): Promise<void>;
}

function jetStreamHarness(): Harness {
  const namespace = isolatedStream();
  let raw: JetStreamConnection | undefined;
  return {
    choice: { kind: 'jetstream', servers: [NATS_URL], options: namespace },
    sendRaw: async (subject, payload) => {
      raw ??= await JetStreamConnection.open({
        ...defaultJetStreamOptions,
        ...namespace,
        servers: [NATS_URL],
        connectionName: 'raw-sender',
      });
      await raw.publish(subject, payload, randomUUID());
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
    choice: { kind: 'in-process', bus },
    sendRaw: async (subject, payload) => void bus.publish(subject, payload, randomUUID()),
    cleanup: async () => undefined,
  };
}

describe.each([
  ['JetStream', jetStreamHarness],
  ['the in-process bus', inProcessHarness],
])('the live feed over %s', (_name, makeHarness) => {
  let harness: Harness;
  let transport: EventTransport;

  beforeAll(async () => {
    harness = makeHarness();
    transport = await openEventTransport({ service: 'live-feed-test', transport: harness.choice });
  });
  afterAll(async () => {
    await transport.close();
    await harness.cleanup();
  });

  async function publishClassified(count: number): Promise<ImageClassifiedEvent[]> {
    const sent: ImageClassifiedEvent[] = [];
    for (let index = 0; index < count; index++)
      sent.push(await transport.publisher.publish(Subjects.imageClassified, classifiedPayload()));
    return sent;
  }

  it('hands over each event on its subjects in stream order with its sequence, and nothing else', async () => {
    const received: FeedEvent[] = [];
    const feed = await transport.liveFeed.open({ subjects: LIVE }, (event) => received.push(event));
    await transport.publisher.publish(Subjects.imageNew, imageNewInput(1));
    const sent = await publishClassified(5);
    await waitFor(() => received.length === 5, 'five image.classified');
    expect(received.map((event) => (event.payload as ImageClassifiedEvent).id)).toEqual(
      sent.map((event) => event.id),
    );
    const sequences = received.map((event) => event.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
    expect(new Set(received.map((event) => event.subject))).toEqual(new Set([Subjects.imageClassified]));
    expect(feed.position).toBe(sequences.at(-1));
    await feed.close();
  });

  it('skips and counts a message that is not valid for its subject, and goes on', async () => {
    const received: FeedEvent[] = [];
    const feed = await transport.liveFeed.open({ subjects: LIVE }, (event) => received.push(event));
    const before = (await liveFeedInvalidTotal.get()).values.find(
      (value) => value.labels.subject === Subjects.imageClassified,
    )?.value;
    await harness.sendRaw(Subjects.imageClassified, '{"not":"a verdict"}');
    await harness.sendRaw(Subjects.imageClassified, 'not json');
    const [valid] = await publishClassified(1);
    await waitFor(() => received.length === 1, 'the valid event after the invalid ones');
    expect((received[0]?.payload as ImageClassifiedEvent).id).toBe(valid?.id);
    const after = (await liveFeedInvalidTotal.get()).values.find(
      (value) => value.labels.subject === Subjects.imageClassified,
    )?.value;
    expect((after ?? 0) - (before ?? 0)).toBe(2);
    await feed.close();
  });

  it('starts after a given sequence, and gives every replica its own copy of each event', async () => {
    const first: FeedEvent[] = [];
    const second: FeedEvent[] = [];
    const probe = await transport.liveFeed.open({ subjects: LIVE }, (event) => first.push(event));
    const [marker] = await publishClassified(1);
    await waitFor(() => first.length === 1, 'the marker');
    const markerSequence = first[0]?.sequence as number;
    const sent = await publishClassified(3);
    await waitFor(() => first.length === 4, 'three more');
    const late = await transport.liveFeed.open({ subjects: LIVE, afterSequence: markerSequence }, (event) =>
      second.push(event),
    );
    await waitFor(() => second.length === 3, 'the three after the marker, for the second feed');
    expect(second.map((event) => (event.payload as ImageClassifiedEvent).id)).toEqual(
      sent.map((event) => event.id),
    );
    expect(marker).toBeDefined();
    await Promise.all([probe.close(), late.close()]);
  });

  it('replays the events after a sequence up to the end of the stream', async () => {
    const received: FeedEvent[] = [];
    const feed = await transport.liveFeed.open({ subjects: LIVE }, (event) => received.push(event));
    await publishClassified(1);
    await waitFor(() => received.length === 1, 'the marker');
    const since = received[0]?.sequence as number;
    const sent = await publishClassified(20);
    await transport.publisher.publish(Subjects.imageNew, imageNewInput(2));
    const replay = await transport.liveFeed.replay(LIVE, since, 1000);
    expect(replay.kind).toBe('events');
    if (replay.kind !== 'events') return;
    expect(replay.events.map((event) => (event.payload as ImageClassifiedEvent).id)).toEqual(
      sent.map((event) => event.id),
    );
    expect(replay.upTo).toBeGreaterThan(replay.events.at(-1)?.sequence as number);
    expect(await transport.liveFeed.replay(LIVE, replay.upTo, 1000)).toEqual({
      kind: 'events',
      events: [],
      upTo: replay.upTo,
    });
    await feed.close();
  });

  it('says when a replay would be too long or starts past the end of the stream', async () => {
    await publishClassified(5);
    const tooMany = await transport.liveFeed.replay(LIVE, 0, 2);
    expect(tooMany).toMatchObject({ kind: 'gap', gap: 'too-many' });
    const future = await transport.liveFeed.replay(LIVE, 1_000_000, 10);
    expect(future).toMatchObject({ kind: 'gap', gap: 'unknown-sequence' });
  });
});

describe('the live feed on the in-process bus', () => {
  it('keeps a bounded buffer and says when a replay reaches past it', async () => {
    const bus = new InProcessBus();
    const transport = await openEventTransport({
      service: 'bounded',
      transport: { kind: 'in-process', bus },
    });
    // Opening starts the recording; what came before is not kept.
    const feed = await transport.liveFeed.open({ subjects: LIVE }, () => undefined);
    for (let index = 0; index < 13_000; index++)
      await transport.publisher.publish(Subjects.imageClassified, classifiedPayload());
    expect(await transport.liveFeed.replay(LIVE, 1, 20_000)).toMatchObject({ kind: 'gap', gap: 'expired' });
    const recent = await transport.liveFeed.replay(LIVE, 12_990, 20_000);
    expect(recent.kind === 'events' && recent.events.map((event) => event.sequence)).toEqual(
      Array.from({ length: 10 }, (_, index) => 12_991 + index),
    );
    await feed.close();
    await transport.close();
  });
});
