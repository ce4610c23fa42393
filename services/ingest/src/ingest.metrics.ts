import { Counter, Gauge, Histogram } from 'prom-client';
import type { OutboxBacklog } from './image-outbox.repository';

export const ingestedImagesTotal = new Counter({
  name: 'hydra_ingest_images_total',
  help: 'Images offered to ingest, by source (watch, upload) and outcome (stored, duplicate, rejected)',
  labelNames: ['source', 'outcome'],
});

export const rejectedImagesTotal = new Counter({
  name: 'hydra_ingest_rejections_total',
  help: 'Images refused, by reason',
  labelNames: ['reason'],
});

export const ingestSeconds = new Histogram({
  name: 'hydra_ingest_seconds',
  help: 'Time from reading an image to its row and its image.new being committed (the broker is not waited for)',
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
});

export const ingestErrorsTotal = new Counter({
  name: 'hydra_ingest_errors_total',
  help: 'Unexpected errors met while handling one watched file, by stage; the file is set aside, ingest goes on',
  labelNames: ['stage'],
});

export const decodeSeconds = new Histogram({
  name: 'hydra_ingest_decode_seconds',
  help: 'Time to decode one image in full (after waiting for a decode slot)',
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

let readOutbox: (() => Promise<OutboxBacklog>) | null = null;

/** Where the outbox gauges read from: the running relay's repository. */
export function measureOutboxWith(read: () => Promise<OutboxBacklog>): void {
  readOutbox = read;
}

async function outboxGauge(gauge: Gauge, pick: (backlog: OutboxBacklog) => number): Promise<void> {
  // An unreachable database leaves the last value rather than failing the whole scrape.
  const backlog = await readOutbox?.().catch(() => null);
  if (backlog) gauge.set(pick(backlog));
}

export const outboxBacklog = new Gauge({
  name: 'hydra_ingest_outbox_backlog',
  help: 'Stored images whose image.new the broker has not acknowledged yet (all replicas together)',
  collect() {
    return outboxGauge(this, (backlog) => backlog.count);
  },
});

export const outboxOldestSeconds = new Gauge({
  name: 'hydra_ingest_outbox_oldest_seconds',
  help: 'Age of the oldest stored image still waiting for its image.new to be acknowledged',
  collect() {
    return outboxGauge(this, (backlog) => backlog.oldestSeconds);
  },
});
