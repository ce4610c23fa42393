import { readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type SimulatedLabel, simulatePlot } from '@hydra/simulator';
import { DEMO_PLOT_TYPES, DEMO_RUN_PERIOD, writePlot } from './demo-plots';

/** Each plot type's fault comes for this long in every cycle, at its own phase, then goes. */
const CYCLE_MS = 40_000;
const FAULT_MS = 15_000;
/** Live files kept in the folder (ingest has stored them long before); older ones are removed. */
const KEEP_FILES = 300;

/**
 * Simulated plots streamed into the watched folder, round-robin over the demo plot types, at
 * `ratePerSecond` in all: mostly Good, now and then NoData, and a fault (Bad plots) that comes and
 * goes on each plot type at its own time. Each start writes a new run.
 */
export class DemoFeed {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly written: string[] = [];
  private chunk = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly root: string,
    private readonly runNumber: number,
    private readonly ratePerSecond: number,
    private readonly report: (line: string) => void,
  ) {}

  /** Removes the live runs of earlier starts (ingested long ago), then streams. */
  async start(): Promise<void> {
    const period = join(this.root, `RunPeriod-${DEMO_RUN_PERIOD}`);
    const runs = await readdir(period).catch(() => [] as string[]);
    for (const run of runs) {
      const number = Number(/^Run(\d+)$/.exec(run)?.[1]);
      if (number && number !== this.runNumber) await rm(join(period, run), { recursive: true, force: true });
    }
    this.timer = setInterval(() => {
      // One plot at a time: on a busy machine the feed slows down rather than piling up.
      this.writing = this.writing
        .then(() => this.next())
        .catch((error: unknown) => this.report(`demo feed: ${(error as Error).message}`));
    }, 1000 / this.ratePerSecond);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.writing;
  }

  /** The label the feed draws for `plotType` now: Bad while its fault lasts. */
  labelAt(plotType: string, now: number): SimulatedLabel {
    const index = DEMO_PLOT_TYPES.indexOf(plotType as (typeof DEMO_PLOT_TYPES)[number]);
    const phase = (now - this.startedAt + (index * CYCLE_MS) / DEMO_PLOT_TYPES.length) % CYCLE_MS;
    if (phase >= CYCLE_MS - FAULT_MS) return 'Bad';
    return this.chunk % 17 === 5 ? 'NoData' : 'Good';
  }

  private async next(): Promise<void> {
    const chunk = ++this.chunk;
    const plotType = DEMO_PLOT_TYPES[chunk % DEMO_PLOT_TYPES.length] as (typeof DEMO_PLOT_TYPES)[number];
    const label = this.labelAt(plotType, Date.now());
    const seed = (this.runNumber * 1_000_003 + chunk * 7919) >>> 0;
    const plot = await simulatePlot(plotType, label, seed, (chunk % 1000) / 1000);
    this.written.push(await writePlot(this.root, this.runNumber, plotType, chunk, plot.png));
    while (this.written.length > KEEP_FILES)
      await unlink(this.written.shift() as string).catch(() => undefined);
  }
}
