import { lstat, realpath, unlink } from 'node:fs/promises';
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
import { ImageRejectedError, looksComplete, sniffFormat } from './image-validation';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config';
import { ingestErrorsTotal } from './ingest.metrics';
import { isTemporaryName, parsePlotPath, relativeToRoot } from './plot-file-name';
import { filesBelow, isInsideRoot, type PlotFile, readPlotFile } from './plot-file-reader';
import { INGESTED_FOLDER, moveAside, moveToIngested, REJECTED_FOLDER } from './rejected-files';

/** Delay before retrying a file the infrastructure could not take (database or broker down). */
const RETRY_MS = 5_000;

/**
 * Watches the experiment's plot folders and ingests every complete plot file. A file still being
 * written is not read half-way: a PNG or JPEG is complete when it ends with its end marker, and
 * one without it is looked at every `stableMs` and judged truncated only once its size has not
 * changed for `incompleteMs` (writers over NFS pause for seconds). Links are never followed.
 */
@Injectable()
export class PlotFolderWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlotFolderWatcher.name);
  private readonly watchers: FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** An incomplete file's size at the last look, and since when it has had that size. */
  private readonly incomplete = new Map<string, { size: number; since: number }>();
  private readonly busy = new Set<string>();
  /** Files that changed while being examined: looked at again as soon as that ends. */
  private readonly changedWhileBusy = new Set<string>();
  /** Files left in place (stored and kept, or impossible to move aside), by version, so they are not read again unchanged. */
  private readonly done = new Map<string, string>();
  private stopped = false;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly ingest: ImageIngestService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const configured of this.config.watch.roots) {
      // The real path, so that any link met below it is one inside the watched tree.
      const root = await realpath(configured).catch(() => resolve(configured));
      const skipped = [join(root, REJECTED_FOLDER), join(root, INGESTED_FOLDER)];
      const watcher = watch(root, {
        ignored: (path) => skipped.some((folder) => path === folder || path.startsWith(folder + sep)),
        persistent: true,
        // A link is reported as a file of its own (and refused), never walked into.
        followSymlinks: false,
      });
      watcher.on('add', (path) => this.schedule(root, path, 0));
      watcher.on('change', (path) => this.schedule(root, path, 0));
      watcher.on('error', (error) => this.logger.error(`watching ${root}: ${String(error)}`));
      await new Promise<void>((ready) => watcher.once('ready', ready));
      // Folders made in quick succession (RunPeriod-…/Run…/) can be missed while chokidar lists a
      // new folder: look through each new folder once more when it has settled.
      watcher.on('addDir', (folder) => {
        if (!this.stopped) setTimeout(() => void this.sweep(root, folder), this.config.watch.stableMs);
      });
      this.watchers.push(watcher);
      this.logger.log(`watching ${root} (after store: ${this.config.watch.afterStore})`);
    }
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.stopped = true;
    this.logger.log(
      `ingest stopping (${signal ?? 'closed by the application'}); ${this.timers.size} watched files not yet examined are left for the next start`,
    );
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
        void this.guarded(root, path);
      }, delayMs),
    );
  }

  /** Schedules every file below a new folder, in case the watcher missed some. */
  private async sweep(root: string, folder: string): Promise<void> {
    try {
      for (const path of await filesBelow(folder)) if (!this.timers.has(path)) this.schedule(root, path, 0);
    } catch (error) {
      ingestErrorsTotal.inc({ stage: 'sweep' });
      this.logger.error(`looking through ${folder} failed: ${String(error)}`);
    }
  }

  /**
   * Every watched file passes here: whatever goes wrong with one file (a refusal, or an error
   * nobody foresaw) is logged, counted and sets that file aside; it never reaches the process.
   */
  private async guarded(root: string, path: string): Promise<void> {
    try {
      await this.examine(root, path);
    } catch (error) {
      let refusal: ImageRejectedError;
      if (error instanceof ImageRejectedError) refusal = error;
      else {
        ingestErrorsTotal.inc({ stage: 'examine' });
        this.logger.error(`examining ${path} failed: ${String(error)}`);
        refusal = new ImageRejectedError('unreadable', `ingest could not examine it: ${String(error)}`);
      }
      this.ingest.countRejection('watch', refusal);
      await this.setAside(root, path, refusal);
    }
  }

  private async examine(root: string, path: string): Promise<void> {
    if (this.busy.has(path)) {
      this.changedWhileBusy.add(path);
      return;
    }
    this.busy.add(path);
    try {
      if (!(await isInsideRoot(root, path))) {
        this.logger.warn(`ignored ${path}: it is reached through a linked folder`);
        return;
      }
      const file = await readPlotFile(path, this.config.limits.maxBytes);
      if (!file || this.done.get(path) === file.version) return;
      if (!looksComplete(file.bytes) && !this.waitedLongEnough(path, file.bytes)) {
        return this.schedule(root, path, this.config.watch.stableMs);
      }
      this.incomplete.delete(path);
      await this.store(root, path, file);
    } finally {
      this.busy.delete(path);
      if (this.changedWhileBusy.delete(path)) this.schedule(root, path, 0);
    }
  }

  /** Whether a file without its end marker has waited long enough to be judged as it is. */
  private waitedLongEnough(path: string, bytes: Buffer): boolean {
    // Past its first bytes, a file that is no PNG or JPEG will not become one.
    if (bytes.length >= 8 && !sniffFormat(bytes)) return true;
    const seen = this.incomplete.get(path);
    const now = Date.now();
    if (seen?.size !== bytes.length) {
      this.incomplete.set(path, { size: bytes.length, since: now });
      return false;
    }
    return now - seen.since >= this.config.watch.incompleteMs;
  }

  private async store(root: string, path: string, file: PlotFile): Promise<void> {
    const relative = relativeToRoot(root, path);
    let name;
    try {
      name = parsePlotPath(relative);
    } catch (error) {
      throw new ImageRejectedError('bad-name', (error as Error).message);
    }
    try {
      const result = await this.ingest.ingest(file.bytes, { ...name, capturedAt: file.modified }, 'watch');
      this.logger.debug(`${relative} → image ${result.imageId}${result.duplicate ? ' (duplicate)' : ''}`);
    } catch (error) {
      // Counted by the ingest service already.
      if (error instanceof ImageRejectedError) return this.setAside(root, path, error, file.version);
      this.logger.error(`could not ingest ${relative}, retrying in ${RETRY_MS} ms: ${String(error)}`);
      return this.schedule(root, path, RETRY_MS);
    }
    await this.afterStore(root, path, file.version).catch((error: unknown) => {
      // Stored all the same: leave the file where it is rather than reject it.
      ingestErrorsTotal.inc({ stage: 'after-store' });
      this.logger.error(
        `stored ${relative} but could not ${this.config.watch.afterStore} it: ${String(error)}`,
      );
      this.done.set(path, file.version);
    });
  }

  /** Moves a refused file to rejected/; when even that fails, leaves it and forgets it until it changes. */
  private async setAside(root: string, path: string, refusal: ImageRejectedError, version?: string) {
    const relative = relativeToRoot(root, path);
    this.incomplete.delete(path);
    try {
      const target = await moveAside(root, path, refusal.reason, refusal.message);
      this.logger.warn(`rejected ${relative} (${refusal.reason}: ${refusal.message}); moved to ${target}`);
    } catch (error) {
      ingestErrorsTotal.inc({ stage: 'set-aside' });
      this.logger.error(
        `rejected ${relative} (${refusal.reason}: ${refusal.message}) but could not move it to ${REJECTED_FOLDER}/, left in place: ${String(error)}`,
      );
      const stats = version ? null : await lstat(path).catch(() => null);
      const current = version ?? (stats ? `${stats.mtimeMs}:${stats.size}` : null);
      if (current) this.done.set(path, current);
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
