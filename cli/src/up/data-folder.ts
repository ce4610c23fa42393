import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * The folder `hydra up` keeps everything in (`--data`): the embedded database and broker, the local
 * object store, logs, the secrets it made on the first start and what it has done once.
 */
export class DataFolder {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  async prepare(): Promise<void> {
    await mkdir(this.path('logs'), { recursive: true });
  }

  /** A secret made on the first start and kept (readable by the owner only), so restarts agree with the data. */
  async secret(name: string, make = () => randomBytes(24).toString('base64url')): Promise<string> {
    const path = this.path(name);
    try {
      await writeFile(path, `${make()}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return (await readFile(path, 'utf8')).trim();
  }

  /** What a step recorded when it was done once (the demo's first start), or null. */
  async record<T>(name: string): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.path(name), 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(name: string, value: unknown): Promise<void> {
    await writeFile(this.path(name), `${JSON.stringify(value, null, 2)}\n`);
  }
}
