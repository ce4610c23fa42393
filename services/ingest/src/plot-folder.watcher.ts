import { readFile, stat, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { type FSWatcher, watch } from 'chokidar';
import { ImageIngestService } from './image-ingest.service';
import { ImageRejectedError, looksComplete } from './image-validation';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config';
import { isTemporaryName, parsePlotPath, relativeToRoot } from './plot-file-name';
import { INGESTED_FOLDER, moveAside, moveToIngested, REJECTED_FOLDER } from './rejected-files';

/** Delay before retrying a file the infrastructure could not take (database or broker down). */
const RETRY_MS = 5_000;

/**
 * Watches the experiment's plot folders and ingests every complete plot file. A file still being
 * written is not read half-way: a PNG or JPEG is complete when it ends with its end marker, and
 * one that never gets there is judged once its size has been stable for `stableMs`.
 */
@Injectable()
export class PlotFolderWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlotFolderWatcher.name);
  private readonly watchers: FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The size seen at the last look at an incomplete file. */
  private readonly lastSize = new Map<string, number>();
  private readonly busy = new Set<string>();
  /** Files that changed while being examined: looked at again as soon as that ends. */
  private readonly changedWhileBusy = new Set<string>();
  /** Stored files left in place, by `mtime:size`, so a touch without new content is not re-read. */
  private readonly done = new Map<string, string>();
  private stopped = false;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly ingest: ImageIngestService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const configured of this.config.watch.roots) {
      const root = resolve(configured);
      const skipped = [join(root, REJECTED_FOLDER), join(root, INGESTED_FOLDER)];
      const watcher = watch(root, {
        ignored: (path) => skipped.some((folder) => path === folder || path.startsWith(folder + sep)),
        persistent: true,
      });
      watcher.on('add', (path) => this.schedule(root, path, 0));
      watcher.on('change', (path) => this.schedule(root, path, 0));
      watcher.on('error', (error) => this.logger.error(`watching ${root}: ${String(error)}`));
      await new Promise<void>((ready) => watcher.once('ready', ready));
      this.watchers.push(watcher);
      this.logger.log(`watching ${root} (after store: ${this.config.watch.afterStore})`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    await Promise.all(this.watchers.map((watcher) => watcher.close()));
  }

  private schedule(root: string, path: string, delayMs: number): void {
    if (this.stopped || isTemporaryName(path)) return;
    clearTimeout(this.timers.get(path));
    this.timers.set(
      path,
      setTimeout(() => {
        this.timers.delete(path);
        void this.examine(root, path);
      }, delayMs),
    );
  }

  private async examine(root: string, path: string): Promise<void> {
    if (this.busy.has(path)) {
      this.changedWhileBusy.add(path);
      return;
    }
    this.busy.add(path);
    try {
      const stats = await stat(path).catch(() => null);
      if (!stats?.isFile()) return;
      const version = `${stats.mtimeMs}:${stats.size}`;
      if (this.done.get(path) === version) return;
      const bytes = await readFile(path);
      if (!looksComplete(bytes) && this.lastSize.get(path) !== bytes.length) {
        this.lastSize.set(path, bytes.length);
        return this.schedule(root, path, this.config.watch.stableMs);
      }
      this.lastSize.delete(path);
      await this.store(root, path, bytes, stats.mtime, version);
    } finally {
      this.busy.delete(path);
      if (this.changedWhileBusy.delete(path)) this.schedule(root, path, 0);
    }
  }

  private async store(root: string, path: string, bytes: Buffer, modified: Date, version: string) {
    const relative = relativeToRoot(root, path);
    try {
      let name;
      try {
        name = parsePlotPath(relative);
      } catch (error) {
        throw new ImageRejectedError('bad-name', (error as Error).message);
      }
      const result = await this.ingest.ingest(bytes, { ...name, capturedAt: modified }, 'watch');
      this.logger.debug(`${relative} → image ${result.imageId}${result.duplicate ? ' (duplicate)' : ''}`);
      await this.afterStore(root, path, version);
    } catch (error) {
      if (error instanceof ImageRejectedError) {
        if (error.reason === 'bad-name') this.ingest.countRejection('watch', error);
        const target = await moveAside(root, path, error.reason, error.message);
        this.logger.warn(`rejected ${relative} (${error.reason}: ${error.message}); moved to ${target}`);
        return;
      }
      this.logger.error(
        `could not ingest ${relative}, retrying in ${RETRY_MS} ms: ${(error as Error).message}`,
      );
      this.schedule(root, path, RETRY_MS);
    }
  }

  private async afterStore(root: string, path: string, version: string): Promise<void> {
    switch (this.config.watch.afterStore) {
      case 'delete':
        return unlink(path);
      case 'move':
        return moveToIngested(root, path);
      case 'keep':
        this.done.set(path, version);
    }
  }
}
