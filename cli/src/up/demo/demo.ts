import { HydraApi } from '../../api/hydra-api';
import type { DataFolder } from '../data-folder';
import { bootstrapDemo } from './demo-bootstrap';
import { DemoFeed } from './demo-feed';
import { reportDemoMilestones } from './demo-milestones';
import { TRAINING_RUN } from './demo-plots';

export interface DemoOptions {
  data: DataFolder;
  /** The watched folder the demo writes into. */
  folder: string;
  /** labeler-api. */
  baseUrl: string;
  admin: { name: string; password: string };
  rate: number;
  imagesPerPlotType: number;
  /** When `hydra up` started: milestones count from there. */
  startedAt: number;
  report: (line: string) => void;
}

/** What the demo remembers in `<data>/demo.json`. */
interface DemoRecord {
  /** The live run of the latest start. */
  lastRun: number;
  /** The first models, once the first start has trained them. */
  models?: Record<string, string>;
}

/**
 * `hydra up --demo`: simulated plots stream into a watched folder; on the first start (until it has
 * finished once) the demo plot types are labeled and trained through labeler-api; milestones are told
 * as the loop comes round.
 */
export async function startDemo(options: DemoOptions): Promise<{ stop(): Promise<void> }> {
  const { data, report } = options;
  const record = (await data.record<DemoRecord>('demo.json')) ?? { lastRun: TRAINING_RUN };
  const run = record.lastRun + 1;
  await data.write('demo.json', { ...record, lastRun: run });
  // The admin's session: what the demo does is recorded as the admin's doing.
  const api = new HydraApi({
    url: options.baseUrl,
    user: options.admin.name,
    password: options.admin.password,
  });
  const stopping = new AbortController();
  const feed = new DemoFeed(options.folder, run, options.rate, report);
  const bootstrap = record.models
    ? Promise.resolve()
    : (async () => {
        report(
          `demo: first start: labeling ${options.imagesPerPlotType} simulated plots per plot type and training the first models…`,
        );
        const models = await bootstrapDemo({
          api,
          imagesPerPlotType: options.imagesPerPlotType,
          report,
          signal: stopping.signal,
        });
        await data.write('demo.json', { lastRun: run, models });
        report(
          `demo: the first models are ready (${Object.keys(models).length} of the demo's plot types in production)`,
        );
      })().catch((error: unknown) => {
        if (!stopping.signal.aborted)
          report(`demo: the first models could not be made: ${(error as Error).message}`);
      });
  await feed.start();
  report(`demo: streaming ${options.rate} simulated plot(s) per second into ${options.folder} (run ${run})`);
  const milestones = reportDemoMilestones(api, options.startedAt, report, () => stopping.signal.aborted);
  return {
    stop: async () => {
      stopping.abort();
      await Promise.all([feed.stop(), bootstrap, milestones]);
    },
  };
}
