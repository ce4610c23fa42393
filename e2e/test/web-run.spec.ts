import { randomBytes } from 'node:crypto';
import { waitFor } from '@hydra/messaging/testing';
import { simulatePlot, type SimulatedLabel, type SimulatedPlot } from '@hydra/simulator';
import { confidentPlots, startHydraProcesses, type HydraProcesses } from '@hydra/testing';
import { createUser, logIn, requireBuiltWebApp, screenshot, SuiteBrowser } from './support/browser';
import { WatchedFolder } from './support/watched-folder';

/** The Run page in a real browser against the services as processes: log-in, a Bad plot, the alarm. */
const PLOT = 'FCAL_occupancy';
/** Plot types without a model: their cards show NoModel and fill the page like a real hall's. */
const OTHERS = ['CDC_timing', 'Trigger_bits'] as const;
const shift = { name: 'shift-ana', role: 'shift' as const, password: randomBytes(12).toString('hex') };
const viewer = { name: 'viewer-bo', role: 'viewer' as const, password: randomBytes(12).toString('hex') };

let loop: HydraProcesses;
let baseUrl: string;
let browser: SuiteBrowser;
let confident: Record<SimulatedLabel, SimulatedPlot[]>;
let watched: WatchedFolder;
let adminToken: string;

const imageIdOf = (sha256: string) =>
  loop.events.of('image.new').find((event) => event.sha256 === sha256)?.imageId as string | undefined;

/** Writes a confident plot of `label` and waits for its verdict, so plots arrive one after another. */
async function writeJudged(label: SimulatedLabel, run = 3001): Promise<string> {
  const sha256 = await watched.write(PLOT, run, (confident[label].shift() as SimulatedPlot).png);
  await waitFor(
    () => loop.events.of('image.classified').some((event) => event.imageId === imageIdOf(sha256)),
    `the verdict on a ${label} plot`,
    30_000,
  );
  return imageIdOf(sha256) as string;
}

const GROUPS: Record<string, string> = { [PLOT]: 'FCAL', CDC_timing: 'CDC', Trigger_bits: 'Trigger' };

async function setGroup(plotType: string, group: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/plot-types/${plotType}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ group }),
  });
  expect(response.status).toBe(200);
}

const card = (plotType: string) => `[data-test="plot-card"][data-plot-type="${plotType}"]`;

beforeAll(async () => {
  const webDir = requireBuiltWebApp();
  loop = await startHydraProcesses({
    scripts: {
      ingest: require.resolve('@hydra/ingest/dist/main.js'),
      classifier: require.resolve('@hydra/classifier/dist/main.js'),
      explainer: require.resolve('@hydra/explainer/dist/main.js'),
      'labeler-api': require.resolve('@hydra/labeler-api/dist/main.js'),
    },
    plotType: PLOT,
    thresholds: { Good: 0.6, Bad: 0.6, NoData: 0.6 },
    store: 'local',
    env: { WEB_DIR: webDir },
  });
  baseUrl = loop.services['labeler-api']?.url as string;
  watched = new WatchedFolder(loop.watchDir);
  confident = await confidentPlots(loop.store, `models/${PLOT}/${loop.modelId}/`, PLOT, { Good: 2, Bad: 4 });
  adminToken = await loop.apiToken('e2e-admin', 'admin');
  await createUser(baseUrl, adminToken, shift);
  await createUser(baseUrl, adminToken, viewer);
  browser = await SuiteBrowser.launch(baseUrl);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await loop?.stop();
}, 60_000);

it('serves the log-in page, refuses a wrong password with the reason, and logs in', async () => {
  for (const viewport of ['desktop', 'phone'] as const)
    for (const theme of ['light', 'dark'] as const) {
      const login = await browser.page({ viewport, theme });
      await login.goto('/run');
      await login.waitForURL(/\/login\?redirect=(%2F|\/)run/);
      await login.locator('#login-name').waitFor();
      await screenshot(login, `login-${viewport}-${theme}`);
    }
  const wrong = await browser.page();
  await wrong.goto('/login');
  await wrong.fill('#login-name', shift.name);
  await wrong.fill('#login-password', 'not the password');
  await wrong.click('[data-test="login-submit"]');
  await wrong.locator('[data-test="login-error"]').waitFor();
  expect(wrong.url()).toMatch(/\/login/);

  const right = await browser.page();
  await logIn(right, shift.name, shift.password);
  expect(new URL(right.url()).pathname).toBe('/run');
  await expect(right.locator('[data-test="user-role"]').textContent()).resolves.toBe('shift');
}, 60_000);

it('turns the card Bad when a Bad plot arrives, shows the alarm after 3 Bad, and lets the shift acknowledge it while a viewer cannot', async () => {
  for (const plotType of OTHERS)
    await watched.write(plotType, 3001, (await simulatePlot(plotType, 'Good', 7)).png);
  const shiftPage = await browser.page();
  await logIn(shiftPage, shift.name, shift.password);
  const viewerPage = await browser.page({ viewport: 'phone' });
  await logIn(viewerPage, viewer.name, viewer.password);

  const good = await writeJudged('Good');
  await shiftPage.locator(`${card(PLOT)}[data-image-id="${good}"][data-verdict="Good"]`).waitFor();
  await viewerPage.locator(`${card(PLOT)}[data-image-id="${good}"]`).waitFor();
  for (const plotType of OTHERS) await shiftPage.locator(card(plotType)).waitFor({ timeout: 30_000 });
  // Detector systems, as an expert would set them; the pages opened from here on group by them.
  for (const [plotType, group] of Object.entries(GROUPS)) await setGroup(plotType, group);

  const firstBad = await writeJudged('Bad');
  await shiftPage.locator(`${card(PLOT)}[data-image-id="${firstBad}"][data-verdict="Bad"]`).waitFor();
  // Bad floats to the top.
  await expect(
    shiftPage.locator('[data-test="plot-card"]').first().getAttribute('data-plot-type'),
  ).resolves.toBe(PLOT);
  expect(await shiftPage.locator('[data-test="alarm-banner"]').count()).toBe(0);

  await writeJudged('Bad');
  await writeJudged('Bad');
  await shiftPage
    .locator(`[data-test="alarm-banner"] [data-plot-type="${PLOT}"]`)
    .waitFor({ timeout: 30_000 });
  await shiftPage.locator(`${card(PLOT)}[data-alarm="active-unacknowledged"]`).waitFor();
  await viewerPage.locator('[data-test="alarm-banner"]').waitFor();
  // A viewer sees the alarm and nothing to act on it with.
  expect(await viewerPage.locator('[data-test="acknowledge"]').count()).toBe(0);
  expect(await viewerPage.locator('[data-test="shelve"]').count()).toBe(0);

  for (const viewport of ['desktop', 'phone'] as const)
    for (const theme of ['light', 'dark'] as const) {
      const run = await browser.page({ viewport, theme });
      await logIn(run, shift.name, shift.password);
      await run.locator(`${card(PLOT)}[data-alarm="active-unacknowledged"]`).waitFor();
      expect(await run.locator('.group-name').allTextContents()).toEqual(['FCAL', 'CDC', 'Trigger']);
      await run
        .locator(`${card(PLOT)} img`)
        .first()
        .evaluate((image) => (image as unknown as { decode(): Promise<void> }).decode());
      await screenshot(run, `run-${viewport}-${theme}`);
    }

  // Click to zoom: the full-size image with its heat map.
  await shiftPage.click(`${card(PLOT)} button.image`);
  await shiftPage.locator('.n-modal .figure img').first().waitFor();
  await shiftPage.waitForTimeout(500); // the modal's fade-in
  await screenshot(shiftPage, 'run-zoom-desktop-light');
  await shiftPage.keyboard.press('Escape');
  await shiftPage.locator('.n-modal').waitFor({ state: 'detached' });

  await shiftPage.click(`[data-test="alarm-banner"] [data-plot-type="${PLOT}"] [data-test="acknowledge"]`);
  await shiftPage.locator(`${card(PLOT)}[data-alarm="active-acknowledged"]`).waitFor({ timeout: 15_000 });
  await viewerPage.locator(`${card(PLOT)}[data-alarm="active-acknowledged"]`).waitFor({ timeout: 15_000 });
  expect(await shiftPage.locator('[data-test="acknowledge"]').count()).toBe(0);
}, 180_000);
