import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { Client, S3Error } from 'minio';
import { assertValidKey, assertValidPrefix } from './object-key';
import { type ObjectInfo, ObjectNotFoundError, type ObjectStore, type PutOptions } from './object-store';

export interface S3StoreOptions {
  /** e.g. `http://127.0.0.1:9000` or `https://s3.example.org`. */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region?: string;
  /** Objects larger than this are uploaded in parts of this size (S3's minimum is 5 MiB). */
  partSize?: number;
}

const NOT_FOUND_CODES = new Set(['NotFound', 'NoSuchKey']);

/** The object store on S3 or any S3-compatible server (MinIO, Ceph RGW), through the `minio` client. */
export class S3ObjectStore implements ObjectStore {
  private readonly client: Client;
  private readonly bucket: string;
  private readonly partSize: number;

  constructor(options: S3StoreOptions) {
    const url = new URL(options.endpoint);
    const useSSL = url.protocol === 'https:';
    this.client = new Client({
      endPoint: url.hostname,
      port: url.port ? Number(url.port) : useSSL ? 443 : 80,
      useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region ?? 'us-east-1',
      partSize: options.partSize ?? 64 * 1024 * 1024,
      pathStyle: true,
      // Without TCP_NODELAY a small PUT waits for the server's delayed ACK: 45 ms instead of 5.
      transportAgent: new (useSSL ? HttpsAgent : HttpAgent)({ keepAlive: true, noDelay: true }),
    });
    this.bucket = options.bucket;
    this.partSize = options.partSize ?? 64 * 1024 * 1024;
  }

  /** Creates the bucket on first use. */
  async ensureBucket(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) await this.client.makeBucket(this.bucket);
  }

  async put(key: string, body: Buffer | Readable, options: PutOptions = {}): Promise<ObjectInfo> {
    assertValidKey(key);
    const metadata = options.contentType ? { 'Content-Type': options.contentType } : {};
    // The client sends a Buffer in one request whatever its size, and cuts a stream into parts only
    // when its chunks are smaller than a part: so a large Buffer goes as a stream of 1 MiB slices.
    const size = Buffer.isBuffer(body) ? body.length : undefined;
    const upload =
      Buffer.isBuffer(body) && body.length > this.partSize ? Readable.from(slices(body, 1 << 20)) : body;
    await this.client.putObject(this.bucket, key, upload, size, metadata);
    return (
      (await this.stat(key)) ??
      Promise.reject(new Error(`object "${key}" vanished right after it was written`))
    );
  }

  async get(key: string): Promise<Buffer> {
    return buffer(await this.getStream(key));
  }

  async getStream(key: string): Promise<Readable> {
    assertValidKey(key);
    return this.client.getObject(this.bucket, key).catch((error) => {
      throw isNotFound(error) ? new ObjectNotFoundError(key) : error;
    });
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    try {
      const stat = await this.client.statObject(this.bucket, key);
      const contentType = (stat.metaData['content-type'] as string | undefined) ?? null;
      return { key, size: stat.size, etag: stat.etag, contentType, lastModified: stat.lastModified };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertValidPrefix(prefix);
    for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) {
      if (!item.name) continue;
      yield {
        key: item.name,
        size: item.size,
        etag: item.etag,
        contentType: null,
        lastModified: item.lastModified,
      };
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.removeObject(this.bucket, key);
  }

  async presignedGetUrl(key: string, expiresInSeconds: number): Promise<string> {
    assertValidKey(key);
    return this.client.presignedGetObject(this.bucket, key, expiresInSeconds);
  }

  async check(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket)))
      throw new Error(`bucket "${this.bucket}" does not exist`);
  }
}

function* slices(bytes: Buffer, sliceSize: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += sliceSize)
    yield bytes.subarray(offset, offset + sliceSize);
}

function isNotFound(error: unknown): boolean {
  return error instanceof S3Error && NOT_FOUND_CODES.has(String(error.code));
}
