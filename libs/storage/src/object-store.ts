import type { Readable } from 'node:stream';

/** What the store knows about one object. */
export interface ObjectInfo {
  key: string;
  size: number;
  etag: string;
  contentType: string | null;
  lastModified: Date;
}

export interface PutOptions {
  contentType?: string;
}

/**
 * Images, heat maps and models live here: S3/MinIO in production, a local folder on one machine.
 * Keys look like `images/<plotType>/<runNumber>/<sha256>.png` (see ARCHITECTURE.md).
 */
export interface ObjectStore {
  put(key: string, body: Buffer | Readable, options?: PutOptions): Promise<ObjectInfo>;
  /** Rejects with ObjectNotFoundError when there is no such object. */
  get(key: string): Promise<Buffer>;
  getStream(key: string): Promise<Readable>;
  /** Null when there is no such object. */
  stat(key: string): Promise<ObjectInfo | null>;
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** A URL that lets anyone holding it GET the object until it expires. */
  presignedGetUrl(key: string, expiresInSeconds: number): Promise<string>;
  /** Rejects with the reason when the store cannot be used; for /health. */
  check(): Promise<void>;
}

export class ObjectNotFoundError extends Error {
  override readonly name = 'ObjectNotFoundError';
  constructor(readonly key: string) {
    super(`no object "${key}" in the store`);
  }
}
