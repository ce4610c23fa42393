import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** `<plotType>_<chunk>.png`, as the DAQ names a chunk's plot. */
export const chunkFile = (plotType: string, chunk: number) =>
  `${plotType}_${String(chunk).padStart(4, '0')}.png`;

/** Writes plots into ingest's watched folder as a DAQ does: `RunPeriod-2026-01/Run<run>/<plotType>_<chunk>.png`. */
export class WatchedFolder {
  private chunk = 0;

  constructor(private readonly dir: string) {}

  /** The file name of `plotType`'s next chunk. */
  nextFile(plotType: string): string {
    return chunkFile(plotType, ++this.chunk);
  }

  /** Writes the next chunk of `plotType` in `run`; answers its SHA-256, which `image.new` carries. */
  write(plotType: string, run: number, bytes: Buffer): Promise<string> {
    return this.writeFile(run, this.nextFile(plotType), bytes);
  }

  /** Writes `bytes` as the file `name` of `run` (again, or cut short, as a test needs). */
  async writeFile(run: number, name: string, bytes: Buffer): Promise<string> {
    const path = join(this.dir, 'RunPeriod-2026-01', `Run${String(run).padStart(6, '0')}`, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
    return createHash('sha256').update(bytes).digest('hex');
  }
}
