import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export * from './private-nats-server';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A stream and subject namespace of its own, so test files never see each other's messages. */
export function isolatedStream() {
  const tag = randomUUID().slice(0, 8);
  return { stream: `HYDRA_TEST_${tag}`, subjectPrefix: `test${tag}.` };
}

export async function deleteStream(stream: string, servers = NATS_URL): Promise<void> {
  const nats = await connect({ servers });
  const manager = await jetstreamManager(nats);
  await manager.streams.delete(stream).catch(() => undefined);
  await nats.close();
}

/** Polls until the condition holds; fails with the description when it never does. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  description: string,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface RecordedEvent {
  /** Without the namespace prefix, e.g. `image.new`. */
  subject: string;
  data: Record<string, unknown>;
  /** `performance.now()` when this process received it. */
  receivedAt: number;
}

/**
 * Everything published in a test's namespace on subjects matching `filter` (e.g. `alarm.>`), in
 * order, each stream message once (an ordered consumer, which resumes after a broker restart).
 */
export async function recordEvents(
  namespace: { stream: string; subjectPrefix: string },
  filter: string,
  servers = NATS_URL,
): Promise<{
  events: RecordedEvent[];
  of(subject: string): Record<string, unknown>[];
  stop(): Promise<void>;
}> {
  const nats = await connect({ servers, maxReconnectAttempts: -1 });
  const consumer = await jetstream(nats).consumers.get(namespace.stream, {
    filter_subjects: `${namespace.subjectPrefix}${filter}`,
  });
  // Short pulls: after a broker restart the lost pull is noticed (missed heartbeats) within seconds.
  const messages = await consumer.consume({ expires: 2_000 });
  const events: RecordedEvent[] = [];
  const pump = (async () => {
    for await (const message of messages) {
      events.push({
        subject: message.subject.slice(namespace.subjectPrefix.length),
        data: message.json<Record<string, unknown>>(),
        receivedAt: performance.now(),
      });
    }
  })();
  return {
    events,
    of: (subject) => events.filter((event) => event.subject === subject).map((event) => event.data),
    stop: async () => {
      await messages.close();
      await pump;
      await nats.close();
    },
  };
}

/** A plausible `image.classified` payload (without its envelope) for a new image of `plotType`. */
export function classifiedPayload(plotType = 'FCAL_occupancy') {
  return {
    imageId: randomUUID(),
    plotType,
    modelId: null,
    verdict: 'Good',
    confidence: 0.9,
    outputs: { Good: 0.9, Bad: 0.1 },
    thresholds: { Good: 0.5, Bad: 0.5 },
    confirmed: true,
    collected: false,
    keepReason: null,
    latencyMs: 3,
  };
}
