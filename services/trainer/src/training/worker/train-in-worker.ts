import { join } from 'node:path';
import { type EpochProgress, startScriptThread, TrainingCancelledError } from '@hydra/ml';
import type { ObjectStore } from '@hydra/storage';
import type {
  ServiceMessage,
  StoreRequest,
  TrainingWork,
  TrainingWorkResult,
  WorkerMessage,
} from './training-work';

/** What the training thread reports while it works. */
export interface TrainingThreadEvents {
  phase(phase: 'training' | 'validating' | 'saving'): void;
  epoch(epoch: EpochProgress): void;
  fold(fold: number, folds: number): void;
  candidate(candidate: number, candidates: number, medianResidual: number, goodReference: boolean): void;
  warning(message: string): void;
}

/**
 * Runs `work` on a thread of its own, so this thread's event loop (heartbeats, progress, message
 * acknowledgements, /health) never waits on a training step; the thread reads its images through
 * `store` here as it trains. `signal` ends the thread at once (a person's cancellation, a shutdown)
 * and rejects with TrainingCancelledError.
 */
export function trainInWorker(
  work: TrainingWork,
  store: ObjectStore,
  events: TrainingThreadEvents,
  signal: AbortSignal,
): Promise<TrainingWorkResult> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new TrainingCancelledError(String(signal.reason)));
      return;
    }
    const worker = startScriptThread(
      __dirname,
      'training.worker',
      join(__dirname, '..', '..', '..', 'tsconfig.json'),
    );
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', stop);
      worker.terminate().catch(() => undefined);
      outcome();
    };
    const stop = () => settle(() => reject(new TrainingCancelledError(String(signal.reason))));
    signal.addEventListener('abort', stop, { once: true });
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'phase':
          return events.phase(message.phase);
        case 'epoch':
          return events.epoch(message.epoch);
        case 'fold':
          return events.fold(message.fold, message.folds);
        case 'candidate':
          return events.candidate(
            message.candidate,
            message.candidates,
            message.medianResidual,
            message.goodReference,
          );
        case 'warning':
          return events.warning(message.message);
        case 'store':
          return void answer(store, message).then(({ reply, transfer }) => {
            if (!settled) worker.postMessage(reply, transfer);
          });
        case 'done':
          return settle(() => resolve(message.result));
        case 'failed':
          return settle(() => reject(new Error(message.message)));
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`the training thread stopped (exit code ${code}) before it finished`))),
    );
    const start: ServiceMessage = { type: 'work', work };
    worker.postMessage(start);
  });
}

/** Carries out the training thread's read or write on this thread's store; never rejects. */
async function answer(
  store: ObjectStore,
  request: StoreRequest,
): Promise<{ reply: ServiceMessage; transfer: ArrayBuffer[] }> {
  try {
    if (request.op === 'get') {
      const body = new Uint8Array(await store.get(request.key));
      return { reply: { type: 'stored', id: request.id, body }, transfer: [body.buffer] };
    }
    const { body } = request;
    const info = await store.put(request.key, Buffer.from(body.buffer, body.byteOffset, body.byteLength), {
      ...(request.contentType && { contentType: request.contentType }),
    });
    return { reply: { type: 'stored', id: request.id, info }, transfer: [] };
  } catch (error) {
    return { reply: { type: 'stored', id: request.id, error: (error as Error).message }, transfer: [] };
  }
}
