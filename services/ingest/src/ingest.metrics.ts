import { Counter, Histogram } from 'prom-client';

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
  help: 'Time from reading an image to image.new being stored in the broker',
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
});
