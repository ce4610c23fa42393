import { parentPort } from 'node:worker_threads';
import { trainCandidate } from './candidate-work';
import { ServiceThreadStore } from './service-thread-store';
import type { ServiceMessage, WorkerMessage } from './training-work';

// The training thread's entry: one job, then the service thread ends it.
if (!parentPort) throw new Error('training.worker runs as a worker thread (see trainInWorker)');
const port = parentPort;
const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const store = new ServiceThreadStore(post);

port.on('message', (message: ServiceMessage) => {
  if (message.type === 'stored') {
    store.settle(message);
    return;
  }
  trainCandidate(message.work, store, post).then(
    (result) => post({ type: 'done', result }),
    (error: unknown) =>
      post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
});
