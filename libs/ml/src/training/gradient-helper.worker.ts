import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { type BackendName, initialiseBackend } from '../backend/tensorflow-backend';
import '../models/zoo'; // registers Hydra's layer classes, so the model's topology deserialises
import type { HelperReply, HelperRequest } from './gradient-helper';
import { partGradients } from './part-gradients';

// A gradient helper's thread (see GradientHelper): a copy of the model that computes the gradients
// of its part of each batch, on the same backend as the training thread, with the weights it is sent.
if (!parentPort) throw new Error('gradient-helper.worker runs as a worker thread (see GradientHelper)');
const port = parentPort;
let model: tf.LayersModel | undefined;

port.on('message', (request: HelperRequest) => {
  answer(request).then(
    ({ reply, transfer }) => port.postMessage(reply, transfer),
    (error: unknown) =>
      port.postMessage({ type: 'failed', message: (error as Error).message } satisfies HelperReply),
  );
});

async function answer(request: HelperRequest): Promise<{ reply: HelperReply; transfer: ArrayBuffer[] }> {
  if (request.type === 'start') {
    await initialiseBackend(request.backend as BackendName);
    model = await tf.models.modelFromJSON({ modelTopology: request.topology } as tf.io.ModelJSON);
    return { reply: { type: 'started' }, transfer: [] };
  }
  if (!model) throw new Error('the helper was sent a batch before its model');
  const copy = model;
  tf.tidy(() =>
    copy.setWeights(
      request.weights.map((values, index) => tf.tensor(values, copy.weights[index]?.shape as number[])),
    ),
  );
  const [height, width, channels] = copy.inputs[0]?.shape.slice(1) as number[];
  const pixels = (height as number) * (width as number) * (channels as number);
  const { grads, loss, hits } = await partGradients(
    copy,
    {
      labels: request.labels,
      sampleWeights: request.sampleWeights,
      images: (start, count) =>
        tf.tensor4d(request.inputs.subarray(start * pixels, (start + count) * pixels), [
          count,
          height as number,
          width as number,
          channels as number,
        ]),
      classCount: request.classCount,
      totalWeight: request.totalWeight,
    },
    request.microBatch,
  );
  const values = await Promise.all(grads.map(async (grad) => (await grad.data()) as Float32Array));
  tf.dispose(grads);
  return {
    reply: { type: 'gradients', grads: values, loss, hits },
    transfer: values.map((grad) => grad.buffer as ArrayBuffer),
  };
}
