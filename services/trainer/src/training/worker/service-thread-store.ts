import type { ObjectInfo, ObjectStore, PutOptions } from '@hydra/storage';
import type { Readable } from 'node:stream';
import type { ServiceMessage, StoreRequest } from './training-work';

type Answer = Extract<ServiceMessage, { type: 'stored' }>;

/**
 * The object store as seen from the training thread: whole-object reads and writes, carried out by
 * the service thread's store (an S3 client or a folder cannot be shared between threads). Enough
 * for loadModelArtifacts and saveModelArtifacts, so models are read and written one way everywhere.
 */
export class ServiceThreadStore implements ObjectStore {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (answer: Answer) => void; reject: (error: Error) => void }
  >();

  constructor(private readonly send: (request: StoreRequest, transfer: ArrayBuffer[]) => void) {}

  /** Hands the service thread's answer to the request waiting for it. */
  settle(answer: Answer): void {
    const waiting = this.pending.get(answer.id);
    this.pending.delete(answer.id);
    if (answer.error === undefined) waiting?.resolve(answer);
    else waiting?.reject(new Error(answer.error));
  }

  async get(key: string): Promise<Buffer> {
    const { body } = await this.request({ type: 'store', id: this.nextId++, op: 'get', key }, []);
    if (!body) throw new Error(`the service thread sent no bytes for "${key}"`);
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions = {}): Promise<ObjectInfo> {
    if (!Buffer.isBuffer(body)) throw new Error(`the training thread writes whole objects only ("${key}")`);
    // A copy of its own, so the transfer detaches nothing the caller still holds.
    const bytes = new Uint8Array(body);
    const answer = await this.request(
      { type: 'store', id: this.nextId++, op: 'put', key, body: bytes, contentType: options.contentType },
      [bytes.buffer],
    );
    if (!answer.info) throw new Error(`the service thread did not confirm storing "${key}"`);
    return answer.info;
  }

  getStream(key: string): Promise<Readable> {
    return unsupported('getStream', key);
  }

  stat(key: string): Promise<ObjectInfo | null> {
    return unsupported('stat', key);
  }

  list(prefix: string): AsyncIterable<ObjectInfo> {
    throw new Error(`the training thread cannot list the store ("${prefix}")`);
  }

  delete(key: string): Promise<void> {
    return unsupported('delete', key);
  }

  presignedGetUrl(key: string): Promise<string> {
    return unsupported('presignedGetUrl', key);
  }

  check(): Promise<void> {
    return unsupported('check', '');
  }

  private request(request: StoreRequest, transfer: ArrayBuffer[]): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject });
      this.send(request, transfer);
    });
  }
}

function unsupported(operation: string, key: string): Promise<never> {
  return Promise.reject(new Error(`the training thread's store has no ${operation} ("${key}")`));
}
