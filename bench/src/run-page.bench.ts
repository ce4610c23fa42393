/**
 * The Run page's latency in a real browser: a plot file lands in the watched folder → its card on
 * the Run page shows the new image and verdict (ingest, classifier, labeler-api's Socket.IO push,
 * the page's fetch of the image record and its render), at paced rates. The page records each
 * card change with a MutationObserver on the card's `data-image-id`, on the same clock as Node.
 *   npm run bench:run-page -- --rates 1,10 --duration 30
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { waitFor } from '@hydra/messaging/testing';
import { startHydraProcesses, type HydraProcesses } from '@hydra/testing';
import { Command } from 'commander';
import { chromium, type Page } from 'playwright-core';
import { summarize } from './stats';
import { simulatedPlots, WatchedFolder, type WrittenPlot } from './watched-folder';

const options = new Command('run-page-bench')
  .option('--rates <list>', 'images/s of the paced runs', (value) => value.split(',').map(Number), [1, 10])
  .option('--duration <s>', 'seconds each paced run lasts', Number, 30)
  .option('--chromium <path>', 'the browser', process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')
  .parse()
  .opts<{ rates: number[]; duration: number; chromium: string }>();

const PLOT = 'FCAL_occupancy';
const WEB_DIST = resolve(__dirname, '../../web/dist');
/** Epoch ms with sub-ms precision, the clock the page uses too. */
const epoch = (performanceNow: number) => performance.timeOrigin + performanceNow;

interface CardUpdate {
  imageId: string;
  at: number;
}

/** Records every change of the card's image, as the page renders it (browser code, as text: Node has no DOM types). */
async function observeCard(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    window.cardUpdates = [];
    new MutationObserver((mutations) => {
      const at = performance.timeOrigin + performance.now();
      for (const mutation of mutations)
        if (mutation.target.getAttribute('data-plot-type') === ${JSON.stringify(PLOT)})
          window.cardUpdates.push({ imageId: mutation.target.getAttribute('data-image-id'), at });
    }).observe(document.body, { attributes: true, attributeFilter: ['data-image-id'], subtree: true });
  })()`);
}

const cardUpdates = (page: Page) => page.evaluate<CardUpdate[]>('window.cardUpdates');

async function pacedRun(loop: HydraProcesses, page: Page, folder: WatchedFolder, rate: number) {
  const images = await simulatedPlots(PLOT, Math.round(rate * options.duration));
  const written: WrittenPlot[] = [];
  await page.evaluate('window.cardUpdates.splice(0)');
  const start = performance.now();
  for (const [position, bytes] of images.entries()) {
    const due = start + (position * 1000) / rate;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    written.push(await folder.write(bytes));
  }
  const imageIdOf = () => new Map(loop.events.of('image.new').map((event) => [event.sha256, event.imageId]));
  const last = written[written.length - 1] as WrittenPlot;
  // The newest image always reaches the card; older ones may be overtaken by a newer one at high rates.
  await waitFor(
    async () => {
      const imageId = imageIdOf().get(last.sha256);
      const updates = await cardUpdates(page);
      return imageId !== undefined && updates.some((update) => update.imageId === imageId);
    },
    `the card to show the last image at ${rate}/s`,
    120_000,
  );
  const updates = await cardUpdates(page);
  const shownAt = new Map<string, number>();
  for (const update of updates) if (!shownAt.has(update.imageId)) shownAt.set(update.imageId, update.at);
  const classifiedAt = new Map(
    loop.events.events
      .filter((event) => event.subject === 'image.classified')
      .map((event) => [event.data.imageId as string, epoch(event.receivedAt)]),
  );
  const ids = imageIdOf();
  const toCard: number[] = [];
  const verdictToCard: number[] = [];
  for (const plot of written) {
    const imageId = ids.get(plot.sha256) as string;
    const shown = shownAt.get(imageId);
    if (shown === undefined) continue;
    toCard.push(shown - epoch(plot.writtenAt));
    const verdict = classifiedAt.get(imageId);
    if (verdict !== undefined) verdictToCard.push(shown - verdict);
  }
  return {
    rate,
    images: written.length,
    shown: toCard.length,
    fileToCard: summarize(toCard),
    verdictToCard: summarize(verdictToCard),
  };
}

async function main() {
  if (!existsSync(resolve(WEB_DIST, 'index.html')))
    throw new Error(`${WEB_DIST} has no index.html: run \`npm run build -w @hydra/web\` first`);
  console.log('starting a database, a local object store, ingest, classifier and labeler-api processes…');
  const loop = await startHydraProcesses({
    scripts: {
      ingest: require.resolve('@hydra/ingest/dist/main.js'),
      classifier: require.resolve('@hydra/classifier/dist/main.js'),
      'labeler-api': require.resolve('@hydra/labeler-api/dist/main.js'),
    },
    plotType: PLOT,
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
    const baseUrl = loop.services['labeler-api']?.url as string;
    const user = { name: 'bench-shift', role: 'shift', password: randomBytes(12).toString('hex') };
    const created = await fetch(`${baseUrl}/api/users`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await loop.apiToken('bench-admin', 'admin')}`,
      },
      body: JSON.stringify(user),
    });
    if (!created.ok) throw new Error(`creating the user: ${created.status} ${await created.text()}`);
    const page = await (
      await browser.newContext({ baseURL: baseUrl, viewport: { width: 1920, height: 1080 } })
    ).newPage();
    await page.goto('/login?redirect=/run');
    await page.fill('#login-name', user.name);
    await page.fill('#login-password', user.password);
    await page.click('[data-test="login-submit"]');
    await page.waitForURL(/\/run/);
    const folder = new WatchedFolder(loop.watchDir, PLOT);
    // The first image makes the card; the measured runs change it.
    await folder.write((await simulatedPlots(PLOT, 1))[0] as Buffer);
    await page
      .locator(`[data-plot-type="${PLOT}"][data-verdict]:not([data-verdict=""])`)
      .waitFor({ timeout: 60_000 });
    await observeCard(page);
    const runs = [];
    for (const rate of options.rates) {
      console.log(`paced run: ${rate} images/s for ${options.duration} s`);
      const run = await pacedRun(loop, page, folder, rate);
      runs.push(run);
      console.log(`  ${JSON.stringify(run)}`);
    }
    console.log('\nfile lands → its card shows it on the Run page; image.classified → card (ms)');
    console.log(
      '| images/s | images | cards shown | file→card p50 | file→card p99 | verdict→card p50 | verdict→card p99 |',
    );
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    for (const run of runs)
      console.log(
        `| ${run.rate} | ${run.images} | ${run.shown} | ${run.fileToCard.p50.toFixed(0)} | ${run.fileToCard.p99.toFixed(0)} | ${run.verdictToCard.p50.toFixed(0)} | ${run.verdictToCard.p99.toFixed(0)} |`,
      );
  } finally {
    await browser.close();
    await loop.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
