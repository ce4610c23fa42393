/**
 * The Labeler's sustained speed in a real browser: a scripted expert labels pages of 60 kept
 * images with the keyboard (number keys, clicks, Shift-ranges, Enter) until 600 are stored, waiting
 * each time for the next page's thumbnails to be shown — rendering and storing included.
 * labeler-api runs as a process serving the built web app.
 *   npm run bench:labeling-speed -- --images 600 --page 60
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Image } from '@hydra/db';
import { simulateDataset } from '@hydra/simulator';
import { startHydraProcesses, storeImage } from '@hydra/testing';
import { Command } from 'commander';
import { chromium, type Page } from 'playwright-core';
import { summarize } from './stats';

const options = new Command('labeling-speed-bench')
  .option('--images <n>', 'kept, unlabeled images to label', Number, 600)
  .option('--page <n>', 'images per page', Number, 60)
  .option('--chromium <path>', 'the browser', process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')
  .parse()
  .opts<{ images: number; page: number; chromium: string }>();

const PLOT = 'FCAL_occupancy';
const WEB_DIST = resolve(__dirname, '../../web/dist');
const LABELS = ['Good', 'Bad', 'NoData'] as const;

/** Waits until the page's attribute `name` passes `test` (browser code as text: Node has no DOM types). */
async function waitForAttribute(page: Page, name: string, value: number): Promise<void> {
  await page.waitForFunction(
    `Number(document.querySelector('[data-test="labeler-page"]')?.getAttribute(${JSON.stringify(name)})) >= ${value}`,
    undefined,
    { timeout: 60_000, polling: 'raf' },
  );
}

/** Every thumbnail of the page is loaded and decoded: what the expert looks at before painting. */
const thumbnailsShown = (page: Page) =>
  page.evaluate(`Promise.all([...document.querySelectorAll('[data-test="labeler-tile"] img')]
    .map((image) => image.decode().catch(() => undefined)))`);

/** An expert's page: three runs of labels, painted by ranges and single clicks, then Enter. */
async function labelPage(page: Page, count: number): Promise<void> {
  const tiles = page.locator('[data-test="labeler-tile"]');
  const third = Math.floor(count / 3);
  const ranges: [string, number, number][] = [
    ['1', 0, third - 1],
    ['2', third, 2 * third - 1],
    ['3', 2 * third, count - 1],
  ];
  for (const [key, from, to] of ranges) {
    await page.keyboard.press(key);
    await tiles.nth(from).click();
    if (to > from) await tiles.nth(to).click({ modifiers: ['Shift'] });
  }
  await page.keyboard.press('Enter');
}

async function main() {
  if (!existsSync(resolve(WEB_DIST, 'index.html')))
    throw new Error(`${WEB_DIST} has no index.html: run \`npm run build -w @hydra/web\` first`);
  console.log('starting a database, a local object store and labeler-api…');
  const loop = await startHydraProcesses({
    scripts: { 'labeler-api': require.resolve('@hydra/labeler-api/dist/main.js') },
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
    const adminToken = await loop.apiToken('bench-admin', 'admin');
    const admin = async (method: string, path: string, body: unknown) => {
      const response = await fetch(`${baseUrl}/api${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json() as Promise<{ id: string }>;
    };
    await admin('PATCH', `/plot-types/${PLOT}`, { palette: LABELS.map((label) => ({ label })) });
    console.log(`storing ${options.images} simulated plots with verdicts…`);
    for await (const plot of simulateDataset({ plotType: PLOT, count: options.images, seed: 21 })) {
      const image = await storeImage(loop.db, loop.store, plot, PLOT, plot.png);
      await loop.db.query(
        `INSERT INTO classification (image_id, model_id, verdict, confidence, outputs, thresholds, confirmed, latency_ms)
         VALUES ($1, $2, $3, 0.9, $4, '{}', true, 5)`,
        [image.id, loop.modelId, plot.label, JSON.stringify({ [plot.label]: 0.9 })],
      );
    }
    await loop.db.getRepository(Image).update({ plotType: PLOT }, { keep: true, keepReason: 'sample' });
    const user = { name: 'bench-labeler', role: 'labeler', password: randomBytes(12).toString('hex') };
    const { id } = await admin('POST', '/users', user);
    await admin('PUT', `/users/${id}/permissions/${PLOT}`, { canLabel: true });

    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1920, height: 1080 } });
    await context.addInitScript(
      `localStorage.setItem('hydra.labeler.pageSize', '${options.page}');` +
        `localStorage.setItem('hydra.labeler.columns', '10');`,
    );
    const page = await context.newPage();
    await page.goto(`/login?redirect=${encodeURIComponent(`/labeler?plotType=${PLOT}`)}`);
    await page.fill('#login-name', user.name);
    await page.fill('#login-password', user.password);
    await page.click('[data-test="login-submit"]');
    await page.locator('[data-test="labeler-tile"]').first().waitFor({ timeout: 60_000 });

    const pageTimes: number[] = [];
    const start = performance.now();
    let stored = 0;
    while (stored < options.images) {
      const pageStart = performance.now();
      const seq = Number(await page.locator('[data-test="labeler-page"]').getAttribute('data-page-seq'));
      const count = await page.locator('[data-test="labeler-tile"]').count();
      await thumbnailsShown(page);
      await labelPage(page, count);
      stored += count;
      await waitForAttribute(page, 'data-stored', stored);
      // The next page is on screen (none after the last).
      if (stored < options.images) await waitForAttribute(page, 'data-page-seq', seq + 1);
      pageTimes.push(performance.now() - pageStart);
    }
    const minutes = (performance.now() - start) / 60_000;
    const [{ count: inDb }] = (await loop.db.query(
      `SELECT count(*)::int AS count FROM image_label il JOIN image i ON i.id = il.image_id WHERE i.plot_type = $1`,
      [PLOT],
    )) as [{ count: number }];
    if (inDb !== options.images) throw new Error(`${inDb} labels stored, expected ${options.images}`);
    const perPage = summarize(pageTimes);
    console.log(
      `\n${options.images} images in pages of ${options.page}: ${(options.images / minutes).toFixed(0)} labels/min sustained ` +
        `(${(minutes * 60).toFixed(1)} s; page p50 ${perPage.p50.toFixed(0)} ms, p99 ${perPage.p99.toFixed(0)} ms; ` +
        `${inDb} labels in the database)`,
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
