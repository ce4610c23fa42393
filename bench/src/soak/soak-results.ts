import { summarize } from '../stats';

/** One plot written into the watched folder and when its verdict was seen (`performance.now()`). */
export interface SentImage {
  writtenAt: number;
  verdictAt: number | undefined;
}

/** File lands → image.classified, for the images written in one minute of the run. */
export interface MinuteLatency {
  /** 1 for the first minute. */
  minute: number;
  sent: number;
  judged: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** What was read at a moment of the run: each service's resident memory and each durable consumer's lag. */
export interface Sample {
  /** `minute N` at the end of minute N (`minute 0` before the first image), `drained` after the drain. */
  at: string;
  rssBytes: Record<string, number>;
  /** Messages each durable consumer has not yet had acknowledged, by consumer name. */
  lag: Record<string, number>;
}

export interface LabelBatches {
  sent: number;
  /** Answered 2xx by labeler-api. */
  acked: number;
  /** Acked batches found in `label_batch` afterwards. */
  stored: number;
  /** Their items found in `image_label`, against the items of the acked batches. */
  itemsAcked: number;
  itemsStored: number;
  p50Ms: number;
  p99Ms: number;
}

export interface SoakResults {
  options: { minutes: number; rate: number; labelEveryS: number; store: string; drainS: number };
  startedAt: string;
  services: string[];
  sent: number;
  /** Sent images with an image.classified event. */
  judged: number;
  /** Sent images with a classification row. */
  classificationRows: number;
  lost: number;
  /** Seconds from the last image written until every verdict was in and every consumer's lag was 0 (null: never, within the drain limit). */
  drainedAfterS: number | null;
  latency: MinuteLatency[];
  samples: Sample[];
  labels: LabelBatches;
}

/** Latency per minute of writing, the minutes counted from `startedAt`. */
export function latencyPerMinute(images: SentImage[], startedAt: number, minutes: number): MinuteLatency[] {
  return Array.from({ length: minutes }, (_, index) => {
    const from = startedAt + index * 60_000;
    const inMinute = images.filter(({ writtenAt }) => writtenAt >= from && writtenAt < from + 60_000);
    const latencies = inMinute.flatMap(({ writtenAt, verdictAt }) =>
      verdictAt === undefined ? [] : [verdictAt - writtenAt],
    );
    const { p50, p99, max } = summarize(latencies);
    return {
      minute: index + 1,
      sent: inMinute.length,
      judged: latencies.length,
      p50Ms: p50,
      p99Ms: p99,
      maxMs: max,
    };
  });
}

export const totalLag = (sample: Sample) => Object.values(sample.lag).reduce((sum, lag) => sum + lag, 0);

const mib = (bytes: number | undefined) => (bytes === undefined ? '–' : (bytes / 2 ** 20).toFixed(0));
const ms = (value: number) => (Number.isNaN(value) ? '–' : value.toFixed(0));

/** The results as a Markdown page: totals, latency per minute, memory and lag per sample. */
export function resultsMarkdown(results: SoakResults): string {
  const { options, labels } = results;
  const lines = [
    `# Soak: ${options.minutes} min at ${options.rate} images/s, a label batch every ${options.labelEveryS} s, ${options.store} store`,
    '',
    `Started ${results.startedAt}; services: ${results.services.join(', ')}.`,
    '',
    '| sent | verdicts | classification rows | lost | drained after | label batches sent / acked / stored | label items acked / stored | label batch p50 / p99 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${results.sent} | ${results.judged} | ${results.classificationRows} | ${results.lost} | ${
      results.drainedAfterS === null
        ? `not within ${options.drainS} s`
        : `${results.drainedAfterS.toFixed(1)} s`
    } | ${labels.sent} / ${labels.acked} / ${labels.stored} | ${labels.itemsAcked} / ${labels.itemsStored} | ${ms(
      labels.p50Ms,
    )} / ${ms(labels.p99Ms)} ms |`,
    '',
    'File lands → image.classified (ms), by the minute the file was written',
    '',
    '| minute | sent | judged | p50 | p99 | max |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results.latency.map(
      (row) =>
        `| ${row.minute} | ${row.sent} | ${row.judged} | ${ms(row.p50Ms)} | ${ms(row.p99Ms)} | ${ms(row.maxMs)} |`,
    ),
    '',
    'Resident memory (VmRSS, MiB) per service and total consumer lag (messages)',
    '',
    `| at | ${results.services.join(' | ')} | consumer lag |`,
    `| --- | ${results.services.map(() => '---').join(' | ')} | --- |`,
    ...results.samples.map(
      (sample) =>
        `| ${sample.at} | ${results.services.map((service) => mib(sample.rssBytes[service])).join(' | ')} | ${totalLag(sample)} |`,
    ),
    '',
    'Plots: `latency.svg` (p50 / p99 per minute), `memory.svg` (RSS per service per minute).',
    '',
  ];
  return lines.join('\n');
}
