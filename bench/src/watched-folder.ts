import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simulatePlot, type SimulatedPlotType } from '@hydra/simulator';

let seed = 1;

/** Distinct plots (the same bytes twice would be one image), about a third of them Bad. */
export async function simulatedPlots(plotType: SimulatedPlotType, count: number): Promise<Buffer[]> {
  const result: Buffer[] = [];
  for (let index = 0; index < count; index++) {
    const plot = await simulatePlot(plotType, index % 3 === 2 ? 'Bad' : 'Good', seed++);
    result.push(plot.png);
    if (index % 500 === 499) process.stdout.write(`  simulated ${index + 1}/${count} plots\n`);
  }
  return result;
}

/** A plot file as it landed in the watched folder. */
export interface WrittenPlot {
  sha256: string;
  /** `performance.now()` when the file was complete. */
  writtenAt: number;
}

/** Writes plots where the DAQ would, one chunk after another of one run, as ingest's convention names them. */
export class WatchedFolder {
  private chunk = 0;

  constructor(
    private readonly watchDir: string,
    private readonly plotType: string,
  ) {}

  async write(bytes: Buffer): Promise<WrittenPlot> {
    const folder = join(this.watchDir, 'RunPeriod-bench', 'Run000001');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `${this.plotType}_${String(++this.chunk).padStart(6, '0')}.png`), bytes);
    return { sha256: createHash('sha256').update(bytes).digest('hex'), writtenAt: performance.now() };
  }
}
