import { plotTypeName } from '@hydra/contracts';
import { basename, dirname, sep } from 'node:path';

/** What a monitoring plot's path says about it (Hydra's folder convention). */
export interface PlotFileName {
  plotType: string;
  /** The canvas pad of a multi-pad plot (`CDC_occupancy-2_0003.png`), else null. */
  pad: string | null;
  /** The time slice of a chunked plot, null for a cumulative one. */
  chunk: number | null;
  runNumber: number;
  runPeriod: string;
}

// <PlotType>[-<pad>][_<chunk:04d>].png|jpg — the pad is a number, the chunk at least four digits.
const FILE =
  /^(?<plotType>[A-Za-z0-9][A-Za-z0-9_-]*?)(?:-(?<pad>\d{1,3}))?(?:_(?<chunk>\d{4,9}))?\.(?:png|jpe?g)$/i;
const RUN = /^Run(?<run>\d{1,9})$/;
const PERIOD = /^RunPeriod-(?<period>[A-Za-z0-9][A-Za-z0-9_.-]{0,63})$/;

/** Names a watcher skips: editors' and writers' temporary files, which are renamed when complete. */
export function isTemporaryName(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') || /\.(tmp|part|partial|swp)$/i.test(name) || name.endsWith('~');
}

/**
 * Parses `…/RunPeriod-<period>/Run<NNNNNN>/<PlotType>[-<pad>][_<chunk>].png`; throws with the
 * reason when the path does not follow the convention.
 */
export function parsePlotPath(path: string): PlotFileName {
  const file = FILE.exec(basename(path))?.groups;
  if (!file?.plotType) {
    throw new Error(
      `"${basename(path)}" is not <PlotType>[-<pad>][_<chunk>].png (plot type: letters, digits, "_" or "-")`,
    );
  }
  const runFolder = dirname(path);
  const run = RUN.exec(basename(runFolder))?.groups;
  if (!run?.run) throw new Error(`the folder of "${basename(path)}" is not Run<number>`);
  const period = PERIOD.exec(basename(dirname(runFolder)))?.groups;
  if (!period?.period) throw new Error(`the folder above Run${run.run} is not RunPeriod-<period>`);
  const name = plotTypeName.safeParse(file.plotType);
  if (!name.success) throw new Error(`plot type "${file.plotType}": ${name.error.issues[0]?.message}`);
  return {
    plotType: name.data,
    pad: file.pad ?? null,
    chunk: file.chunk === undefined ? null : Number(file.chunk),
    runNumber: Number(run.run),
    runPeriod: period.period,
  };
}

/** The path of a plot relative to a watched root, for messages and the rejected/ folder. */
export function relativeToRoot(root: string, path: string): string {
  const prefix = root.endsWith(sep) ? root : `${root}${sep}`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : basename(path);
}
