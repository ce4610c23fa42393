/**
 * The Run page with many plot types in a real browser: first render (navigation start → every card
 * rendered with its verdict), then the page's memory under a long stream of live verdicts, 1 image/s
 * per plot type in simulated time, compressed (the page's `Date.now` follows the simulated clock, so
 * sparklines age out as they would). labeler-api runs as a process on a database seeded in SQL (an
 * hour of history, one image every 30 s per plot type, and the image rows the live verdicts refer
 * to); the verdicts are published on `image.classified` as the classifier would. The JS heap (after
 * a forced GC) and DOM counters are sampled along the way: a leak shows as growth after the warm-up.
 *   npm run bench:run-page-memory -- --plot-types 50 --minutes 20 --samples 10
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Subjects } from '@hydra/contracts';
import { startHydraProcesses, type HydraProcesses } from '@hydra/testing';
import { Command } from 'commander';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { simulatedPlots } from './watched-folder';

const options = new Command('run-page-memory-bench')
  .option('--plot-types <n>', 'plot types (cards)', Number, 50)
  .option('--minutes <n>', 'simulated minutes of updates (1 image/s per plot type)', Number, 20)
  .option('--samples <n>', 'heap samples over the updates', Number, 10)
  .option('--loads <n>', 'timed page loads for the first render', Number, 5)
  .option('--max-lag <s>', 'simulated seconds the page may fall behind before publishing waits', Number, 5)
  .option('--chromium <path>', 'the browser', process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')
  .parse()
  .opts<{
    plotTypes: number;
    minutes: number;
    samples: number;
    loads: number;
    maxLag: number;
    chromium: string;
  }>();

const WEB_DIST = resolve(__dirname, '../../web/dist');
const PNG_KEY = 'images/bench/plot.png';
const plotName = (index: number) => `Bench_${String(index + 1).padStart(3, '0')}`;
/** The live image of plot type `p` at simulated second `s`: its id says which, so the page's cards can be read back. */
const liveImageId = (s: number, p: number) =>
  `00000000-0000-4000-8000-${s.toString(16).padStart(8, '0')}${p.toString(16).padStart(4, '0')}`;

/**
 * Runs in the page before the app: `Date.now` follows a simulated clock the bench sets, and the
 * first frame with every card rendered (with a verdict) is recorded on the navigation's clock.
 */
const INIT_SCRIPT = `(() => {
  const realNow = Date.now.bind(Date);
  let offset = 0;
  Date.now = () => realNow() + offset;
  window.__benchSetNow = (ms) => { offset = ms - realNow(); };
  const expected = ${options.plotTypes};
  const check = () => {
    if (!location.pathname.startsWith('/run')) return requestAnimationFrame(check);
    const cards = document.querySelectorAll('[data-test="plot-card"]:not([data-verdict=""])');
    if (cards.length >= expected) window.__allCardsAt = performance.now();
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})()`;

/** The plot types and an hour of history at 30 s (so sparklines start full), each image with a verdict. */
async function seed(loop: HydraProcesses, plotTypes: number) {
  const png = (await simulatedPlots('FCAL_occupancy', 1))[0] as Buffer;
  await loop.store.put(PNG_KEY, png);
  const { db, modelId } = loop;
  await db.query(
    `INSERT INTO plot_type (name, group_name)
     SELECT 'Bench_' || lpad(p::text, 3, '0'), 'Group_' || (p % 5) FROM generate_series(1, $1) p
     ON CONFLICT (name) DO UPDATE SET group_name = EXCLUDED.group_name`,
    [plotTypes],
  );
  await db.query(
    `INSERT INTO image (plot_type, run_period, run_number, chunk, captured_at, ingested_at, sha256,
                        storage_key, size_bytes, width, height)
     SELECT 'Bench_' || lpad(p::text, 3, '0'), 'bench', 100000, n, now() - n * interval '30 seconds',
            now() - n * interval '30 seconds' + interval '1 second',
            'b' || lpad(to_hex(p * 1000 + n), 63, '0'), $2, $3, 64, 64
       FROM generate_series(1, $1) p CROSS JOIN generate_series(0, 119) n`,
    [plotTypes, PNG_KEY, png.length],
  );
  await db.query(
    `INSERT INTO classification (image_id, model_id, verdict, confidence, outputs, thresholds, confirmed,
                                 latency_ms, classified_at)
     SELECT id, $1, CASE WHEN bad THEN 'Bad' ELSE 'Good' END, 0.9,
            CASE WHEN bad THEN '{"Good":0.05,"Bad":0.9,"NoData":0.05}'::jsonb
                 ELSE '{"Good":0.9,"Bad":0.05,"NoData":0.05}'::jsonb END,
            '{"Good":0.5,"Bad":0.5,"NoData":0.5}', true, 40, ingested_at + interval '300 milliseconds'
       FROM (SELECT id, ingested_at, random() < 0.2 AS bad FROM image) drawn`,
    [modelId],
  );
  await db.query('ANALYZE');
}

/**
 * The rows of the live images (the page fetches each new one), in bulk before the updates start;
 * after the timed loads, as the snapshot shows a plot type's newest image.
 */
async function seedLive(loop: HydraProcesses, plotTypes: number, seconds: number, liveStartMs: number) {
  const size = (await loop.store.stat(PNG_KEY))?.size ?? 1;
  await loop.db.query(
    `INSERT INTO image (id, plot_type, run_period, run_number, chunk, captured_at, ingested_at, sha256,
                        storage_key, size_bytes, width, height)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(s), 8, '0') || lpad(to_hex(p), 4, '0'))::uuid,
            'Bench_' || lpad((p + 1)::text, 3, '0'), 'bench', 100001, s,
            to_timestamp(($3::bigint + s * 1000) / 1000.0), to_timestamp(($3::bigint + s * 1000 + 500) / 1000.0),
            'a' || lpad(to_hex(s * 4096 + p), 63, '0'), $4, $5, 64, 64
       FROM generate_series(0, $2 - 1) s CROSS JOIN generate_series(0, $1 - 1) p`,
    [plotTypes, seconds, liveStartMs, PNG_KEY, size],
  );
  await loop.db.query('ANALYZE');
}

/** Loads /run afresh and returns ms from navigation start to the frame with every card rendered. */
async function timedLoad(page: Page): Promise<number> {
  await page.goto('/run');
  await page
    .waitForFunction('window.__allCardsAt !== undefined', undefined, { timeout: 60_000 })
    .catch(async (error: unknown) => {
      const cards = await page.evaluate(
        `[...document.querySelectorAll('[data-test="plot-card"]')].map((c) => c.getAttribute('data-verdict')).join(',')`,
      );
      throw new Error(`not every card rendered with a verdict (${page.url()}: ${cards}): ${String(error)}`);
    });
  return page.evaluate<number>('window.__allCardsAt');
}

interface Sample {
  simSeconds: number;
  events: number;
  heapMiB: number;
  heapTotalMiB: number;
  domElements: number;
  nodes: number;
  listeners: number;
  documents: number;
  lagS: number;
}

async function sample(cdp: CDPSession, page: Page, simSeconds: number, events: number, lagS: number) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const counters = await cdp.send('Memory.getDOMCounters');
  const domElements = await page.evaluate<number>("document.getElementsByTagName('*').length");
  return {
    simSeconds,
    events,
    heapMiB: heap.usedSize / 2 ** 20,
    heapTotalMiB: heap.totalSize / 2 ** 20,
    domElements,
    nodes: counters.nodes,
    listeners: counters.jsEventListeners,
    documents: counters.documents,
    lagS,
  } satisfies Sample;
}

/** The oldest simulated second any card shows (-1: a card still shows its seeded image). */
const oldestShown = (page: Page) =>
  page.evaluate<number>(`(() => {
    let oldest = Infinity;
    for (const card of document.querySelectorAll('[data-test="plot-card"]')) {
      const id = card.getAttribute('data-image-id') || '';
      oldest = Math.min(oldest, id.startsWith('00000000-0000-4000-8000-') ? parseInt(id.slice(24, 32), 16) : -1);
    }
    return oldest;
  })()`);

async function main() {
  if (!existsSync(resolve(WEB_DIST, 'index.html')))
    throw new Error(`${WEB_DIST} has no index.html: run \`npm run build -w @hydra/web\` first`);
  const plotTypes = options.plotTypes;
  const seconds = Math.round(options.minutes * 60);
  console.log('starting a database, a local object store and labeler-api…');
  const loop = await startHydraProcesses({
    scripts: { 'labeler-api': require.resolve('@hydra/labeler-api/dist/main.js') },
    plotType: plotName(0),
    thresholds: { Good: 0.5, Bad: 0.5, NoData: 0.5 },
    store: 'local',
    env: { WEB_DIR: WEB_DIST },
  });
  const browser = await chromium.launch({
    executablePath: options.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    // The live images start a minute from now: after the history, and after the page loads.
    const liveStartMs = Math.ceil((Date.now() + 60_000) / 1000) * 1000;
    const seedStart = performance.now();
    await seed(loop, plotTypes);
    console.log(
      `seeded ${plotTypes} plot types and ${plotTypes * 120} images with verdicts in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
    );

    const baseUrl = loop.services['labeler-api']?.url as string;
    const user = { name: 'bench-viewer', role: 'viewer', password: randomBytes(12).toString('hex') };
    const created = await fetch(`${baseUrl}/api/users`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await loop.apiToken('bench-admin', 'admin')}`,
      },
      body: JSON.stringify(user),
    });
    if (!created.ok) throw new Error(`creating the user: ${created.status} ${await created.text()}`);
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1920, height: 1080 } });
    await context.addInitScript(INIT_SCRIPT);
    const page = await context.newPage();
    await page.goto('/login?redirect=/run');
    await page.fill('#login-name', user.name);
    await page.fill('#login-password', user.password);
    await page.click('[data-test="login-submit"]');
    await page.waitForURL(/\/run/);

    const loads: number[] = [];
    for (let load = 0; load < options.loads; load++) loads.push(await timedLoad(page));
    console.log(
      `first render (navigation start → ${plotTypes} cards with verdicts), ms: ${loads.map((ms) => ms.toFixed(0)).join(', ')}`,
    );

    await seedLive(loop, plotTypes, seconds, liveStartMs);
    console.log(`seeded ${plotTypes * seconds} live image rows`);
    const cdp = await context.newCDPSession(page);
    const samples: Sample[] = [await sample(cdp, page, 0, 0, 0)];
    console.log(`  ${JSON.stringify(samples[0])}`);
    const every = Math.max(1, Math.floor(seconds / options.samples));
    let events = 0;
    const started = performance.now();
    for (let s = 0; s < seconds; s++) {
      await page.evaluate(`window.__benchSetNow(${liveStartMs + s * 1000 + 900})`);
      await Promise.all(
        Array.from({ length: plotTypes }, (_, p) => {
          const bad = (s * 7 + p * 3) % 10 < 2;
          return loop.publish(Subjects.imageClassified, {
            occurredAt: new Date(liveStartMs + s * 1000 + 800).toISOString(),
            imageId: liveImageId(s, p),
            plotType: plotName(p),
            modelId: loop.modelId,
            verdict: bad ? 'Bad' : 'Good',
            confidence: 0.9,
            outputs: bad ? { Good: 0.05, Bad: 0.9, NoData: 0.05 } : { Good: 0.9, Bad: 0.05, NoData: 0.05 },
            thresholds: { Good: 0.5, Bad: 0.5, NoData: 0.5 },
            confirmed: true,
            collected: false,
            keepReason: null,
            latencyMs: 40,
          });
        }),
      );
      events += plotTypes;
      // Back-pressure: the page must not fall more than --max-lag simulated seconds behind.
      while ((await oldestShown(page)) < s - options.maxLag) await new Promise((r) => setTimeout(r, 50));
      if ((s + 1) % every === 0 || s === seconds - 1) {
        const deadline = Date.now() + 30_000;
        while ((await oldestShown(page)) < s && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        const lag = s - (await oldestShown(page));
        samples.push(await sample(cdp, page, s + 1, events, lag));
        const elapsed = (performance.now() - started) / 1000;
        console.log(
          `  ${JSON.stringify(samples[samples.length - 1])} (${elapsed.toFixed(0)} s real, ${(events / elapsed).toFixed(0)} events/s)`,
        );
      }
    }
    const realSeconds = (performance.now() - started) / 1000;

    console.log(
      `\nRun page, ${plotTypes} plot types: first render (navigation start → all cards with verdicts)`,
    );
    const sorted = [...loads].sort((a, b) => a - b);
    console.log(
      `| loads | first (after log-in) ms | median ms | max ms |\n| --- | --- | --- | --- |\n| ${loads.length} | ${loads[0]?.toFixed(0)} | ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} | ${sorted[sorted.length - 1]?.toFixed(0)} |`,
    );
    console.log(
      `\n${events} image.classified events = ${seconds} simulated s × ${plotTypes} plot types at 1 image/s each, in ${realSeconds.toFixed(0)} s real (${(seconds / realSeconds).toFixed(1)}× compressed); heap after forced GC`,
    );
    console.log(
      '| simulated min | events | JS heap used MiB | heap total MiB | DOM elements | DOM nodes (incl. detached) | JS listeners | documents |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const row of samples)
      console.log(
        `| ${(row.simSeconds / 60).toFixed(1)} | ${row.events} | ${row.heapMiB.toFixed(2)} | ${row.heapTotalMiB.toFixed(1)} | ${row.domElements} | ${row.nodes} | ${row.listeners} | ${row.documents} |`,
      );
    // Growth is judged after the first sample of updates (warm-up: code paths, caches, sparkline redraws).
    const warm = samples[1] ?? samples[0];
    const middle = samples[Math.floor(samples.length / 2)] as Sample;
    const end = samples[samples.length - 1] as Sample;
    if (warm) {
      const growth = end.heapMiB - warm.heapMiB;
      const perHour = (growth / Math.max(1, end.simSeconds - warm.simSeconds)) * 3600;
      console.log(
        `\nheap: start ${samples[0]?.heapMiB.toFixed(2)} MiB, after warm-up ${warm.heapMiB.toFixed(2)}, middle ${middle.heapMiB.toFixed(2)}, end ${end.heapMiB.toFixed(2)} MiB; ` +
          `growth after warm-up ${growth.toFixed(2)} MiB (${perHour.toFixed(2)} MiB per simulated hour); DOM nodes ${warm.nodes} → ${end.nodes}`,
      );
    }
  } finally {
    await browser.close();
    await loop.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
