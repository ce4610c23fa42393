import { type FSWatcher, watch } from 'node:fs';
import { lstat, readdir, realpath, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ImageIngestService } from './image-ingest.service';
import { ImageRejectedError, looksComplete, sniffFormat } from './image-validation';
import { DEFAULT_RESCAN_S, INGEST_CONFIG, type IngestConfig } from './ingest.config';
import { ingestErrorsTotal } from './ingest.metrics';
import { isTemporaryName, parsePlotPath, relativeToRoot } from './plot-file-name';
import { currentVersion, isInsideRoot, type PlotFile, readPlotFile } from './plot-file-reader';
import { INGESTED_FOLDER, moveAside, moveToIngested, REJECTED_FOLDER } from './rejected-files';

/** Delay before retrying a file the infrastructure could not take (database or broker down). */
const RETRY_MS = 5_000;

/**
 * Watches the experiment's plot folders and ingests every complete plot file. A file still being
 * written is not read half-way: a PNG or JPEG is complete when it ends with its end marker, and
 * one without it is looked at every `stableMs` and judged truncated only once its size has not
 * changed for `incompleteMs` (writers over NFS pause for seconds). Links are never followed.
 *
 * Each folder has its own kernel watch, and an event costs a look at the one name it reports, so
 * a folder of thousands of kept files costs no more per new file than an empty one. Every
 * `rescanMs` all folders are looked through for what the events missed (the kernel drops them
 * when its queue overflows), stat-ing files already stored rather than reading them again.
 */
@Injectable()
export class PlotFolderWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PlotFolderWatcher.name);
  /** Every watched folder (real paths below a root) and its watch. */
  private readonly folders = new Map<string, FSWatcher>();
  private readonly roots: string[] = [];
  private rescanTimer?: NodeJS.Timeout;
  private rescanning = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** An incomplete file's size at the last look, and since when it has had that size. */
  private readonly incomplete = new Map<string, { size: number; since: number }>();
  private readonly busy = new Set<string>();
  /** Files that changed while being examined: looked at again as soon as that ends. */
  private readonly changedWhileBusy = new Set<string>();
  /**
   * Files left in place (stored and kept, or impossible to move aside), by version, so they are
   * not read again unchanged; an entry goes when its file does.
   */
  private readonly done = new Map<string, string>();
  private stopped = false;

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly ingest: ImageIngestService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const configured of this.config.watch.roots) {
      // The real path, so that any link met below it is one inside the watched tree.
      this.roots.push(await realpath(configured).catch(() => resolve(configured)));
    }
    if (this.roots.length === 0) return;
    // The startup sweep: watches every folder and schedules every file not yet stored.
    await this.rescan();
    const rescanMs = this.config.watch.rescanMs ?? DEFAULT_RESCAN_S * 1_000;
    this.rescanTimer = setInterval(() => void this.rescan(), rescanMs);
    for (const root of this.roots) {
      this.logger.log(
        `watching ${root} (after store: ${this.config.watch.afterStore}; looked through every ${rescanMs / 1_000} s)`,
      );
    }
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.stopped = true;
    this.logger.log(
      `ingest stopping (${signal ?? 'closed by the application'}); ${this.timers.size} watched files not yet examined are left for the next start`,
    );
    clearInterval(this.rescanTimer);
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const watcher of this.folders.values()) watcher.close();
    this.folders.clear();
  }

  /**
   * Looks through every watched tree: watches folders not watched yet, schedules every file not
   * stored yet or changed since, and forgets stored files that are gone. Unchanged stored files
   * are only stat-ed. Runs at start and every `rescanMs`; one at a time.
   */
  async rescan(): Promise<void> {
    if (this.rescanning || this.stopped) return;
    this.rescanning = true;
    try {
      const seen = new Set<string>();
      for (const root of this.roots) await this.lookThrough(root, root, seen);
      for (const path of this.done.keys()) {
        if (!seen.has(path) && (await currentVersion(path)) === null) this.done.delete(path);
      }
    } catch (error) {
      ingestErrorsTotal.inc({ stage: 'sweep' });
      this.logger.error(`looking through the watched folders failed: ${String(error)}`);
    } finally {
      this.rescanning = false;
    }
  }

  /**
   * Watches `folder`, then lists it, so that a file or folder made meanwhile is either listed or
   * reported by the watch; folders below are looked through the same way, links never entered.
   */
  private async lookThrough(root: string, folder: string, seen?: Set<string>): Promise<void> {
    this.watchFolder(root, folder);
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (this.stopped) return;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!this.skipped(root, path)) await this.lookThrough(root, path, seen);
        continue;
      }
      seen?.add(path);
      if (this.timers.has(path) || this.busy.has(path)) continue;
      const known = this.done.get(path);
      if (known === undefined || known !== (await currentVersion(path))) this.schedule(root, path, 0);
    }
  }

  private watchFolder(root: string, folder: string): void {
    if (this.stopped || this.folders.has(folder)) return;
    try {
      const watcher = watch(folder, { persistent: true }, (event, name) => {
        // Whatever one event runs into is logged and counted; the rescan looks again.
        const look = async () => {
          if (name === null) await this.lookThrough(root, folder);
          else if (event === 'change') this.schedule(root, join(folder, name), 0);
          else await this.arrivedOrLeft(root, join(folder, name));
        };
        look().catch((error: unknown) => {
          ingestErrorsTotal.inc({ stage: 'watch' });
          this.logger.error(`handling a change in ${folder} failed: ${String(error)}`);
        });
      });
      watcher.on('error', (error) => {
        // The folder went away (its parent's watch reports that too) or the watch broke: the
        // next rescan watches it again if it is still there.
        this.logger.debug(`watching ${folder} ended: ${String(error)}`);
        this.unwatch(folder);
      });
      this.folders.set(folder, watcher);
    } catch (error) {
      // Out of kernel watches, or the folder is already gone: its files are found by the rescan.
      ingestErrorsTotal.inc({ stage: 'watch' });
      this.logger.error(`could not watch ${folder}, relying on the rescan for it: ${String(error)}`);
    }
  }

  /** A name appeared in or left a watched folder: looks at just that name. */
  private async arrivedOrLeft(root: string, path: string): Promise<void> {
    if (this.stopped || this.skipped(root, path)) return;
    const stats = await lstat(path).catch(() => null);
    if (!stats) {
      this.done.delete(path);
      this.incomplete.delete(path);
      this.unwatch(path);
    } else if (stats.isDirectory()) await this.lookThrough(root, path);
    else this.schedule(root, path, 0);
  }

  /** Stops watching `folder` and every folder below it. */
  private unwatch(folder: string): void {
    for (const [watched, watcher] of this.folders) {
      if (watched === folder || watched.startsWith(folder + sep)) {
        watcher.close();
        this.folders.delete(watched);
      }
    }
  }

  /** Whether `path` is, or is in, the root's rejected/ or ingested/ folder. */
  private skipped(root: string, path: string): boolean {
    return [REJECTED_FOLDER, INGESTED_FOLDER].some((name) => {
      const folder = join(root, name);
      return path === folder || path.startsWith(folder + sep);
    });
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
      const known = this.done.get(path);
      // A stored file touched without change is not read again.
      if (known !== undefined && known === (await currentVersion(path))) return;
      const file = await readPlotFile(path, this.config.limits.maxBytes);
      if (!file || known === file.version) return;
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
      const current = version ?? (await currentVersion(path));
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
