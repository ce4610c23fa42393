import { Counter, Histogram } from 'prom-client';

export const classifiedImagesTotal = new Counter({
  name: 'hydra_classified_images_total',
  help: 'Verdicts published, by verdict and whether they were confirmed',
  labelNames: ['verdict', 'confirmed'],
});

export const inferenceSeconds = new Histogram({
  name: 'hydra_inference_seconds',
  help: 'Time of one batched inference call, by engine (onnx, onnx-int8, tfjs)',
  labelNames: ['engine'],
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
});
