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
