import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SimulatedPlotType } from '@hydra/simulator';

/** The simulator's plot types the demo registers: an occupancy map, a timing histogram, trigger bits. */
export const DEMO_PLOT_TYPES = [
  'FCAL_occupancy',
  'CDC_timing',
  'Trigger_bits',
] as const satisfies readonly SimulatedPlotType[];

/** The run period of every demo plot (`RunPeriod-demo`). */
export const DEMO_RUN_PERIOD = 'demo';

/** The run of the plots the demo labels and trains on; the live plots of each start get a later run. */
export const TRAINING_RUN = 1;

function runFolder(root: string, runNumber: number): string {
  return join(root, `RunPeriod-${DEMO_RUN_PERIOD}`, `Run${String(runNumber).padStart(6, '0')}`);
}

/**
 * Puts a plot where a DAQ would, named as ingest's convention says
 * (`RunPeriod-demo/Run000002/FCAL_occupancy_0007.png`). Written under a dot-name and renamed, so the
 * watcher sees only whole files.
 */
export async function writePlot(
  root: string,
  runNumber: number,
  plotType: string,
  chunk: number,
  png: Buffer,
): Promise<string> {
  const folder = runFolder(root, runNumber);
  await mkdir(folder, { recursive: true });
  const name = `${plotType}_${String(chunk).padStart(4, '0')}.png`;
  const path = join(folder, name);
  await writeFile(join(folder, `.${name}`), png);
  await rename(join(folder, `.${name}`), path);
  return path;
}
