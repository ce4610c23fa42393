import { randomBytes, randomUUID } from 'node:crypto';
import { Image } from '@hydra/db';
import { waitFor } from '@hydra/messaging/testing';
import { simulateDataset } from '@hydra/simulator';
import { startHydraProcesses, storeImage, type HydraProcesses } from '@hydra/testing';
import type { Page } from 'playwright-core';
import {
  logIn,
  requireBuiltWebApp,
  screenshot,
  SuiteBrowser,
  type Theme,
  type ViewportName,
} from './support/browser';

/** The Labeler in a real browser against labeler-api as a process: keyboard labeling, apply, undo, rights. */
const PLOT = 'FCAL_occupancy';
const IMAGES = 130;
const labeler = { name: 'labeler-eve', role: 'labeler' as const, password: randomBytes(12).toString('hex') };
const revoked = { name: 'labeler-rex', role: 'labeler' as const, password: randomBytes(12).toString('hex') };
const viewer = { name: 'viewer-vic', role: 'viewer' as const, password: randomBytes(12).toString('hex') };

let loop: HydraProcesses;
let baseUrl: string;
let browser: SuiteBrowser;
let adminToken: string;
const userIds: Record<string, string> = {};

async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

async function createUser(user: { name: string; role: string; password: string }, canLabel: boolean) {
  const created = (await (await admin('POST', '/users', user)).json()) as { id: string };
  userIds[user.name] = created.id;
  if (canLabel)
    await admin('PUT', `/users/${created.id}/permissions/${PLOT}`, {
      canLabel: true,
      canTrain: false,
      canPromote: false,
    });
}

/** A logged-in page on the Labeler, `pageSize` images a page. */
async function labelerPage(
  user: { name: string; password: string },
  options: { viewport?: ViewportName; theme?: Theme; pageSize?: number } = {},
): Promise<Page> {
  const context = await browser.context(options);
  const columns = options.viewport === 'phone' ? 3 : 10;
  await context.addInitScript(
    `localStorage.setItem('hydra.labeler.pageSize', '${options.pageSize ?? 100}');` +
      `localStorage.setItem('hydra.labeler.columns', '${columns}');`,
  );
  const page = await context.newPage();
  await logIn(page, user.name, user.password, `/labeler?plotType=${PLOT}`);
  await page.locator('[data-test="labeler-tile"]').first().waitFor();
  return page;
}

/** The stored labels of the plot type's images, image id → label. */
async function storedLabels(): Promise<Map<string, string>> {
  const rows = (await loop.db.query(
    `SELECT il.image_id AS "imageId", l.name AS label FROM image_label il
       JOIN label l ON l.id = il.label_id JOIN image i ON i.id = il.image_id WHERE i.plot_type = $1`,
    [PLOT],
  )) as { imageId: string; label: string }[];
  return new Map(rows.map((row) => [row.imageId, row.label]));
}

const tiles = (page: Page) => page.locator('[data-test="labeler-tile"]');
const tileIds = (page: Page) =>
  tiles(page).evaluateAll((elements) =>
    elements.map((element) => element.getAttribute('data-image-id') as string),
  );

async function allThumbnailsDecoded(page: Page): Promise<void> {
  await tiles(page)
    .locator('img')
    .evaluateAll((images) =>
      Promise.all(
        images.map((image) =>
          (image as unknown as { decode(): Promise<void> }).decode().catch(() => undefined),
        ),
      ),
    );
}

beforeAll(async () => {
  const webDir = requireBuiltWebApp();
  loop = await startHydraProcesses({
    scripts: { 'labeler-api': require.resolve('@hydra/labeler-api/dist/main.js') },
    plotType: PLOT,
    thresholds: { Good: 0.6, Bad: 0.6, NoData: 0.6 },
    store: 'local',
    env: { WEB_DIR: webDir },
  });
  baseUrl = loop.services['labeler-api']?.url as string;
  adminToken = await loop.apiToken('e2e-admin', 'admin');
  await admin('PATCH', `/plot-types/${PLOT}`, {
    palette: [
      { label: 'Good', hotkey: 'g' },
      { label: 'Bad', hotkey: 'b' },
      { label: 'NoData', hotkey: 'n' },
    ],
  });
  // Kept images as ingest stores them, each with the production model's verdict.
  for await (const plot of simulateDataset({ plotType: PLOT, count: IMAGES, seed: 5 })) {
    const image = await storeImage(loop.db, loop.store, plot, PLOT, plot.png);
    const outputs = { Good: 0.05, Bad: 0.05, NoData: 0.05, [plot.label]: 0.9 };
    await loop.db.query(
      `INSERT INTO classification (image_id, model_id, verdict, confidence, outputs, thresholds, confirmed, latency_ms)
       VALUES ($1, $2, $3, 0.9, $4, $5, true, 5)`,
      [image.id, loop.modelId, plot.label, JSON.stringify(outputs), JSON.stringify({ Good: 0.6, Bad: 0.6 })],
    );
  }
  await loop.db.getRepository(Image).update({ plotType: PLOT }, { keep: true, keepReason: 'sample' });
  await createUser(labeler, true);
  await createUser(revoked, true);
  await createUser(viewer, false);
  browser = await SuiteBrowser.launch(baseUrl);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await loop?.stop();
}, 60_000);

it('labels 100 images with number keys, clicks, Shift-ranges and Enter, and Ctrl-Z takes them back', async () => {
  const page = await labelerPage(labeler);
  await waitFor(async () => (await tiles(page).count()) === 100, 'a page of 100 images', 30_000);
  const ids = await tileIds(page);
  const expected = new Map<string, string>();
  const paintRange = async (key: string, label: string, from: number, to: number) => {
    await page.keyboard.press(key);
    await tiles(page).nth(from).click();
    if (to > from)
      await tiles(page)
        .nth(to)
        .click({ modifiers: ['Shift'] });
    for (let index = from; index <= to; index++) expected.set(ids[index] as string, label);
  };
  await paintRange('1', 'Good', 0, 39);
  await paintRange('2', 'Bad', 40, 79);
  await page.keyboard.press('3');
  for (let index = 80; index < 90; index++) {
    await tiles(page).nth(index).click();
    expected.set(ids[index] as string, 'NoData');
  }
  await paintRange('g', 'Good', 90, 99);
  expect(await page.locator('[data-test="labeler-tile"]:not([data-painted=""])').count()).toBe(100);
  await expect(tiles(page).nth(45).locator('[data-test="painted-tag"]').textContent()).resolves.toContain(
    'Bad',
  );

  await page.keyboard.press('Enter');
  await waitFor(async () => (await storedLabels()).size === 100, 'the 100 labels stored', 30_000);
  expect(await storedLabels()).toEqual(expected);
  // The whole page was stored: the rest of the queue is shown.
  await waitFor(async () => (await tiles(page).count()) === IMAGES - 100, 'the next page', 15_000);
  await page.locator('[data-test="leaderboard"]', { hasText: labeler.name }).waitFor();

  await page.keyboard.press('Control+z');
  await waitFor(async () => (await storedLabels()).size === 0, 'the undo of the batch', 30_000);
  await waitFor(async () => (await tiles(page).count()) === 100, 'the queue again', 15_000);
}, 120_000);

it("shows the server's reason when the permission is gone, and keeps the paint", async () => {
  const page = await labelerPage(revoked, { pageSize: 30 });
  await page.keyboard.press('2');
  await tiles(page).nth(0).click();
  await tiles(page)
    .nth(4)
    .click({ modifiers: ['Shift'] });
  await admin('DELETE', `/users/${userIds[revoked.name]}/permissions/${PLOT}`);
  await page.keyboard.press('Enter');
  const error = page.locator('[data-test="labeler-error"]');
  await error.waitFor();
  expect(await error.textContent()).toMatch(/Not allowed/);
  expect(await page.locator('[data-test="labeler-tile"]:not([data-painted=""])').count()).toBe(5);
  expect((await storedLabels()).size).toBe(0);
}, 60_000);

it('lets a viewer browse read-only, without paint or apply controls', async () => {
  const page = await labelerPage(viewer, { pageSize: 30 });
  await page.locator('[data-test="labeler-read-only"]').waitFor();
  expect(await page.locator('[data-test="apply"]').count()).toBe(0);
  expect(await page.locator('[data-test="palette-label"]').count()).toBe(0);
  await page.keyboard.press('1');
  await tiles(page).nth(0).click();
  await page.keyboard.press('Enter');
  expect(await page.locator('[data-test="labeler-tile"]:not([data-painted=""])').count()).toBe(0);
}, 60_000);

it('shows labeled images in editor mode, and looks right in both themes on a desktop and a phone', async () => {
  // Some stored labels for the editor, and for the tiles' "labeled" look.
  const firstPage = (await (await admin('GET', `/plot-types/${PLOT}/queue?limit=12`)).json()) as {
    items: { id: string }[];
  };
  await admin('POST', `/plot-types/${PLOT}/labels`, {
    batchId: randomUUID(),
    items: firstPage.items.map((item, index) => ({ imageId: item.id, label: index % 3 ? 'Good' : 'Bad' })),
  });
  for (const viewport of ['desktop', 'phone'] as const)
    for (const theme of ['light', 'dark'] as const) {
      const page = await labelerPage(labeler, { viewport, theme, pageSize: 30 });
      await page.keyboard.press('1');
      await tiles(page).nth(0).click();
      await tiles(page)
        .nth(3)
        .click({ modifiers: ['Shift'] });
      await page.keyboard.press('2');
      await tiles(page).nth(5).click();
      await allThumbnailsDecoded(page);
      await screenshot(page, `labeler-${viewport}-${theme}`);
    }
  const page = await labelerPage(labeler, { pageSize: 30 });
  await page.click('[data-test="mode-editor"]');
  await waitFor(
    async () =>
      (await page.locator('[data-test="labeler-tile"][data-label=""]').count()) === 0 &&
      (await tiles(page).count()) === 12,
    'the 12 labeled images in the editor',
    15_000,
  );
  await allThumbnailsDecoded(page);
  await screenshot(page, 'labeler-editor-desktop-light');
}, 180_000);
