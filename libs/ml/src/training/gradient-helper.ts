import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs';
import { startScriptThread } from './script-thread';

/** What the training thread asks of its helper. */
export type HelperRequest =
  | { type: 'start'; backend: string; topology: object }
  | {
      type: 'gradients';
      /** The model's weights now, in `model.weights` order (batch-norm statistics included). */
      weights: Float32Array[];
      /** The helper's images, augmented, NHWC. */
      inputs: Float32Array;
      labels: number[];
      sampleWeights: number[];
      classCount: number;
      totalWeight: number;
      /** Images per forward and backward pass (see microBatchSize). */
      microBatch: number;
    };

export type HelperReply =
  | { type: 'started' }
  | { type: 'gradients'; grads: Float32Array[]; loss: number; hits: number }
  | { type: 'failed'; message: string };

/**
 * A second thread with its own copy of the model (and its own wasm heap), so a training step uses
 * two cores: each step sends it the current weights and half the batch, and it returns that half's
 * gradients (in `model.trainableWeights` order) while this thread computes the other half's.
 * Batch normalisation sees each half on its own; the moving statistics are this thread's.
 */
export class GradientHelper {
  private pending: { resolve: (reply: HelperReply) => void; reject: (error: Error) => void } | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: HelperReply) => this.settle((pending) => pending.resolve(reply)));
    worker.on('error', (error) => this.settle((pending) => pending.reject(error)));
    worker.on('exit', (code) =>
      this.settle((pending) => pending.reject(new Error(`the gradient helper stopped (exit code ${code})`))),
    );
  }

  /** Starts the thread on `backend` with a copy of `model`'s layers (its weights come with each batch). */
  static async start(model: tf.LayersModel, backend: string): Promise<GradientHelper> {
    const helper = new GradientHelper(
      startScriptThread(__dirname, 'gradient-helper.worker', join(__dirname, '..', '..', 'tsconfig.json')),
    );
    try {
      await helper.ask({ type: 'start', backend, topology: model.toJSON(undefined, false) as object });
    } catch (error) {
      await helper.close();
      throw error;
    }
    return helper;
  }

  /** The gradients of the model's loss on `part` at `weights`, by the helper. */
  async gradients(
    part: Omit<Extract<HelperRequest, { type: 'gradients' }>, 'type'>,
  ): Promise<{ grads: Float32Array[]; loss: number; hits: number }> {
    const reply = await this.ask({ type: 'gradients', ...part }, [
      ...part.weights.map((weight) => weight.buffer as ArrayBuffer),
      part.inputs.buffer as ArrayBuffer,
    ]);
    if (reply.type !== 'gradients') throw new Error(`the gradient helper answered "${reply.type}"`);
    return reply;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  private ask(request: HelperRequest, transfer: ArrayBuffer[] = []): Promise<HelperReply> {
    if (this.pending) throw new Error('the gradient helper is busy');
    return new Promise<HelperReply>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(request, transfer);
    }).then((reply) => {
      if (reply.type === 'failed') throw new Error(`the gradient helper failed: ${reply.message}`);
      return reply;
    });
  }

  private settle(action: (pending: NonNullable<GradientHelper['pending']>) => void): void {
    const pending = this.pending;
    this.pending = null;
    if (pending) action(pending);
  }
}
