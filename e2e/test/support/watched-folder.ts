import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Writes plots into ingest's watched folder as a DAQ does: `RunPeriod-2026-01/Run<run>/<plotType>_<chunk>.png`. */
export class WatchedFolder {
  private chunk = 0;

  constructor(private readonly dir: string) {}

  /** Writes the next chunk of `plotType` in `run`; answers its SHA-256, which `image.new` carries. */
  async write(plotType: string, run: number, bytes: Buffer): Promise<string> {
    const name = `${plotType}_${String(++this.chunk).padStart(4, '0')}.png`;
    const path = join(this.dir, 'RunPeriod-2026-01', `Run${String(run).padStart(6, '0')}`, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
    return createHash('sha256').update(bytes).digest('hex');
  }
}
