import { randomUUID } from 'node:crypto';
import { type ImageNewEvent, Subjects } from '@hydra/contracts';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { EventInput } from '../src/event-publisher';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A stream and subject namespace of its own, so test files never see each other's messages. */
export function isolatedStream() {
  const tag = randomUUID().slice(0, 8);
  return { stream: `HYDRA_TEST_${tag}`, subjectPrefix: `test${tag}.` };
}

export async function deleteStream(stream: string): Promise<void> {
  const nats = await connect({ servers: NATS_URL });
  const manager = await jetstreamManager(nats);
  await manager.streams.delete(stream).catch(() => undefined);
  await nats.close();
}

export function imageNewInput(runNumber: number): EventInput<typeof Subjects.imageNew> {
  const sha256 = randomUUID().replace(/-/g, '').padEnd(64, '0');
  return {
    imageId: randomUUID(),
    plotType: 'FCAL_occupancy',
    runPeriod: '2026-01',
    runNumber,
    chunk: null,
    capturedAt: new Date().toISOString(),
    sha256,
    storageKey: `images/FCAL_occupancy/${runNumber}/${sha256}.png`,
    width: 64,
    height: 64,
  };
}

export type { ImageNewEvent };

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
