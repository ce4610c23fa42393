import { randomUUID } from 'node:crypto';
import { type ImageNewEvent, Subjects } from '@hydra/contracts';
import type { EventInput } from '../src/event-publisher';

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

export { classifiedPayload, deleteStream, isolatedStream, NATS_URL, waitFor } from '../src/testing';
