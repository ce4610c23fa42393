import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertValidKey, assertValidPrefix } from './object-key';
import { type ObjectInfo, ObjectNotFoundError, type ObjectStore, type PutOptions } from './object-store';

export interface LocalStoreOptions {
  /** The folder that holds the objects, one file per key. */
  root: string;
  /** Signs the URLs `presignedGetUrl` hands out; keep it secret and stable across restarts. */
  signingSecret: string;
  /** Where `serveSignedObjects` is reachable, e.g. `http://127.0.0.1:3000/objects`. */
  publicBaseUrl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

/** The object store in a local folder, for the single-machine mode. Writes are atomic (temp file + rename). */
export class LocalObjectStore implements ObjectStore {
  constructor(private readonly options: LocalStoreOptions) {}

  async put(key: string, body: Buffer | Readable, _options: PutOptions = {}): Promise<ObjectInfo> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = join(this.options.root, '.incoming', randomUUID());
    await mkdir(dirname(temporary), { recursive: true });
    try {
      if (Buffer.isBuffer(body)) await writeFile(temporary, body);
      else await pipeline(body, createWriteStream(temporary));
      await rename(temporary, path);
    } finally {
      await rm(temporary, { force: true });
    }
    return (await this.stat(key)) as ObjectInfo;
  }

  async get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key)).catch((error) => {
      throw isMissing(error) ? new ObjectNotFoundError(key) : error;
    });
  }

  async getStream(key: string): Promise<Readable> {
    if (!(await this.stat(key))) throw new ObjectNotFoundError(key);
    return createReadStream(this.pathOf(key));
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    try {
      const info = await stat(this.pathOf(key));
      if (!info.isFile()) return null;
      return {
        key,
        size: info.size,
        etag: `${info.size.toString(16)}-${Math.round(info.mtimeMs).toString(16)}`,
        contentType: CONTENT_TYPES[extname(key).toLowerCase()] ?? null,
        lastModified: info.mtime,
      };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertValidPrefix(prefix);
    // Walk only the folder the prefix points into, then filter by the rest of the prefix.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    for (const key of (await this.keysUnder(folder)).sort()) {
      if (!key.startsWith(prefix)) continue;
      const info = await this.stat(key);
      if (info) yield info;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async presignedGetUrl(key: string, expiresInSeconds: number): Promise<string> {
    assertValidKey(key);
    const expires = Math.floor(Date.now() / 1000) + expiresInSeconds;
    const signature = this.sign(key, expires);
    return `${this.options.publicBaseUrl}/${key}?expires=${expires}&signature=${signature}`;
  }

  /** True when the URL parameters were made by `presignedGetUrl` for this key and have not expired. */
  verifySignature(key: string, expires: number, signature: string): boolean {
    if (!Number.isFinite(expires) || expires < Date.now() / 1000) return false;
    const expected = Buffer.from(this.sign(key, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  async check(): Promise<void> {
    await mkdir(this.options.root, { recursive: true });
    const probe = join(this.options.root, '.incoming', `health-${randomUUID()}`);
    await mkdir(dirname(probe), { recursive: true });
    await writeFile(probe, '');
    await rm(probe);
  }

  private sign(key: string, expires: number): string {
    return createHmac('sha256', this.options.signingSecret).update(`${key}\n${expires}`).digest('hex');
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    return join(this.options.root, ...key.split('/'));
  }

  private async keysUnder(folder: string): Promise<string[]> {
    const base = folder ? join(this.options.root, ...folder.split('/')) : this.options.root;
    const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch((error) => {
      if (isMissing(error)) return [];
      throw error;
    });
    return (
      entries
        .filter((entry) => entry.isFile())
        .map((entry) => relative(this.options.root, join(entry.parentPath, entry.name)).split(sep).join('/'))
        // Segments starting with "." (temp files, the signing secret) are never valid keys.
        .filter((key) => !key.split('/').some((segment) => segment.startsWith('.')))
    );
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
