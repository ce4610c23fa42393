import { constants } from 'node:fs';
import { lstat, open, readlink, realpath } from 'node:fs/promises';
import { dirname, sep } from 'node:path';
import { ImageRejectedError, tooLarge } from './image-validation';

/** A watched plot file as read at one moment. */
export interface PlotFile {
  bytes: Buffer;
  modified: Date;
  /** `mtime:size`: a touch without new content keeps it. */
  version: string;
}

/**
 * Reads a watched file without following links and without reading more than `maxBytes`; null
 * when it is gone or not a regular file. A link (to a file or a folder) and a file over the limit
 * are refused by what `lstat` says, before anything is read.
 */
export async function readPlotFile(path: string, maxBytes: number): Promise<PlotFile | null> {
  const stats = await lstat(path).catch(() => null);
  if (stats?.isSymbolicLink()) {
    const target = await readlink(path).catch(() => 'somewhere unreadable');
    throw new ImageRejectedError(
      'symlink',
      `${path} is a link to ${target}; ingest reads only files inside the watched folder, never links`,
    );
  }
  if (!stats?.isFile()) return null;
  if (stats.size > maxBytes) throw tooLarge(stats.size, maxBytes);
  // O_NOFOLLOW: a link swapped in since the lstat is refused by the kernel (ELOOP), not followed.
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) return null;
    if (opened.size > maxBytes) throw tooLarge(opened.size, maxBytes);
    const bytes = Buffer.alloc(opened.size);
    let length = 0;
    while (length < bytes.length) {
      const { bytesRead } = await handle.read(bytes, length, bytes.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return {
      bytes: bytes.subarray(0, length),
      modified: opened.mtime,
      version: versionOf(opened),
    };
  } finally {
    await handle.close();
  }
}

/** A file's version, `mtime:size`, from what `stat` or `lstat` says of it. */
export function versionOf(stats: { mtimeMs: number; size: number }): string {
  return `${stats.mtimeMs}:${stats.size}`;
}

/** The version of what is at `path` now (links not followed), without reading it; null when gone. */
export async function currentVersion(path: string): Promise<string | null> {
  const stats = await lstat(path).catch(() => null);
  return stats ? versionOf(stats) : null;
}

/** Whether `path` lies in `realRoot` without passing through a linked folder on the way. */
export async function isInsideRoot(realRoot: string, path: string): Promise<boolean> {
  const folder = dirname(path);
  if (folder !== realRoot && !folder.startsWith(realRoot + sep)) return false;
  return (await realpath(folder).catch(() => null)) === folder;
}
