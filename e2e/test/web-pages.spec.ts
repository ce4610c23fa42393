import { randomBytes } from 'node:crypto';
import type { PlotTypeResponse, TokenResponse, UserResponse } from '@hydra/contracts';
import { waitFor } from '@hydra/messaging/testing';
import { simulatePlot, type SimulatedLabel, type SimulatedPlot } from '@hydra/simulator';
import { confidentPlots, startHydraProcesses, type HydraProcesses } from '@hydra/testing';
import type { Page } from 'playwright-core';
import { choose, createUser, logIn, requireBuiltWebApp, screenshot, SuiteBrowser } from './support/browser';
import { WatchedFolder } from './support/watched-folder';

/** The Log, Status and Admin pages in a real browser against the services as processes. */
const PLOT = 'FCAL_occupancy';
const OTHER = 'CDC_timing';
const admin = { name: 'admin-ada', role: 'admin' as const, password: randomBytes(12).toString('hex') };
const viewer = { name: 'viewer-vic', role: 'viewer' as const, password: randomBytes(12).toString('hex') };
/** Every control that changes something on these pages; a viewer sees none of them. */
const WRITE_CONTROLS = [
  'pt-save',
  'pt-new',
  'user-new',
  'user-create',
  'token-create',
  'token-revoke',
  'acknowledge',
  'shelve',
]
  .map((name) => `[data-test="${name}"]`)
  .join(', ');

let loop: HydraProcesses;
let baseUrl: string;
let browser: SuiteBrowser;
let adminToken: string;
let watched: WatchedFolder;

async function writeJudged(plotType: string, run: number, bytes: Buffer): Promise<void> {
  const sha256 = await watched.write(plotType, run, bytes);
  await waitFor(
    () => {
      const imageId = loop.events.of('image.new').find((event) => event.sha256 === sha256)?.imageId;
      return loop.events.of('image.classified').some((event) => event.imageId === imageId);
    },
    `the verdict on a ${plotType} plot`,
    30_000,
  );
}

async function apiGet<T>(path: string): Promise<T> {
  const response = await fetch(`${baseUrl}/api${path}`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

const tab = (on: Page, name: string) => on.locator('.n-tabs-tab', { hasText: name }).first().click();

beforeAll(async () => {
  const webDir = requireBuiltWebApp();
  loop = await startHydraProcesses({
    scripts: {
      ingest: require.resolve('@hydra/ingest/dist/main.js'),
      classifier: require.resolve('@hydra/classifier/dist/main.js'),
      'labeler-api': require.resolve('@hydra/labeler-api/dist/main.js'),
    },
    plotType: PLOT,
    thresholds: { Good: 0.6, Bad: 0.6, NoData: 0.6 },
    store: 'local',
    env: { WEB_DIR: webDir },
  });
  baseUrl = loop.services['labeler-api']?.url as string;
  watched = new WatchedFolder(loop.watchDir);
  const confident: Record<SimulatedLabel, SimulatedPlot[]> = await confidentPlots(
    loop.store,
    `models/${PLOT}/${loop.modelId}/`,
    PLOT,
    { Good: 1, Bad: 2 },
  );
  adminToken = await loop.apiToken('e2e-admin', 'admin');
  await createUser(baseUrl, adminToken, admin);
  await createUser(baseUrl, adminToken, viewer);
  // Data for the log and the status: a Good, two confirmed Bad, and a plot type without a model.
  await writeJudged(PLOT, 4001, (confident.Good.shift() as SimulatedPlot).png);
  await writeJudged(PLOT, 4001, (confident.Bad.shift() as SimulatedPlot).png);
  await writeJudged(PLOT, 4002, (confident.Bad.shift() as SimulatedPlot).png);
  await writeJudged(OTHER, 4002, (await simulatePlot(OTHER, 'Good', 3)).png);
  browser = await SuiteBrowser.launch(baseUrl);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await loop?.stop();
}, 60_000);

it('lets an admin edit a plot type, create a user and create a token', async () => {
  const on = await browser.page();
  await logIn(on, admin.name, admin.password, '/admin');
  expect(new URL(on.url()).pathname).toBe('/admin');

  // Plot type: the alarm's on-delay.
  await choose(on, 'pt-select', PLOT);
  const editor = on.locator(`[data-test="plot-type-editor"][data-plot-type="${PLOT}"]`);
  await editor.waitFor();
  const onDelay = editor.locator('[data-test="pt-alarm-on-delay"] input');
  await onDelay.fill('7');
  await onDelay.press('Tab');
  await editor.locator('[data-test="pt-save"]').click();
  await waitFor(
    async () => (await apiGet<PlotTypeResponse>(`/plot-types/${PLOT}`)).alarm.onDelay === 7,
    'the alarm delay saved',
    10_000,
  );

  // A user.
  await tab(on, 'Users');
  await on.click('[data-test="user-new"]');
  await on.fill('[data-test="user-new-name"] input', 'labeler-lou');
  await choose(on, 'user-new-role', 'labeler');
  await on.fill('[data-test="user-new-password"] input', randomBytes(8).toString('hex'));
  await on.click('[data-test="user-create"]');
  await on.locator('[data-test="user-row"][data-user="labeler-lou"]').waitFor();
  const lou = (await apiGet<UserResponse[]>('/users')).find((user) => user.name === 'labeler-lou');
  expect(lou).toMatchObject({ role: 'labeler', hasPassword: true, disabled: false });

  // A token, shown once.
  await tab(on, 'API tokens');
  await on.fill('[data-test="token-name"] input', 'daq-uploader');
  await choose(on, 'token-role', 'shift');
  await on.click('[data-test="token-create"]');
  const secret = (await on.locator('[data-test="token-secret"]').textContent())?.trim() ?? '';
  expect(secret.length).toBeGreaterThan(20);
  await on.locator('[data-test="token-row"][data-token="daq-uploader"]').waitFor();
  const tokens = await apiGet<TokenResponse[]>('/tokens');
  expect(tokens.find((token) => token.name === 'daq-uploader')).toMatchObject({
    role: 'shift',
    revokedAt: null,
  });
  const me = await fetch(`${baseUrl}/api/auth/me`, { headers: { authorization: `Bearer ${secret}` } });
  expect(me.status).toBe(200);
  await expect(me.json()).resolves.toMatchObject({ name: 'daq-uploader', role: 'shift' });
  await screenshot(on, 'admin-tokens-desktop-light');
}, 120_000);

it('shows a viewer the Log and Status with no Admin link and no write controls, and downloads the CSV', async () => {
  const on = await browser.page();
  await logIn(on, viewer.name, viewer.password, '/log');
  const nav = await on.locator('.nav-link').allTextContents();
  expect(nav.map((text) => text.trim())).toEqual(expect.arrayContaining(['Run', 'Log', 'Status']));
  expect(nav.map((text) => text.trim())).not.toContain('Admin');

  await on.locator(`[data-test="log-row"]`).first().waitFor({ timeout: 15_000 });
  const verdicts = await on.locator('[data-test="log-verdict"]').allTextContents();
  expect(verdicts.filter((text) => text.includes('Bad (confirmed)'))).toHaveLength(2);
  expect(await on.locator(WRITE_CONTROLS).count()).toBe(0);

  // The CSV link downloads with the session cookie.
  const href = (await on.locator('[data-test="log-csv"]').getAttribute('href')) as string;
  expect(href).toMatch(/^\/api\/log\?.*format=csv/);
  const csv = await on.evaluate(async (url) => {
    const response = await fetch(url, { credentials: 'same-origin' });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      disposition: response.headers.get('content-disposition'),
      body: await response.text(),
    };
  }, href);
  expect(csv.status).toBe(200);
  expect(csv.type).toMatch(/text\/csv/);
  expect(csv.disposition).toMatch(/attachment/);
  expect(csv.body.split('\n').filter((line) => line.includes(PLOT)).length).toBeGreaterThanOrEqual(2);

  // A filter narrows the table.
  await choose(on, 'log-plot-type', OTHER);
  await on
    .locator(`[data-test="log-row"][data-plot-type="${PLOT}"]`)
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 });

  await on.click('.nav-link:has-text("Status")');
  await on.locator('[data-test="service-health"]').waitFor();
  await on.locator('[data-test="latency-histogram"][data-stage="ingest-to-classified"]').waitFor();
  await expect(
    on
      .locator(
        '[data-test="latency-histogram"][data-stage="ingest-to-classified"] [data-test="latency-summary"]',
      )
      .textContent(),
  ).resolves.toMatch(/p50 \d.* · p99 \d.* · [4-9] images/);
  expect(await on.locator(WRITE_CONTROLS).count()).toBe(0);

  await on.goto('/admin');
  await on.waitForURL(/\/forbidden/);
  await on.locator('.n-result').getByText('Not allowed').first().waitFor();
}, 90_000);

it('renders Log, Status and Admin in both themes on a desktop and a phone', async () => {
  for (const viewport of ['desktop', 'phone'] as const)
    for (const theme of ['light', 'dark'] as const) {
      const on = await browser.page({ viewport, theme });
      await logIn(on, admin.name, admin.password, '/log');
      await on.locator('[data-test="log-row"]').first().waitFor({ timeout: 15_000 });
      await on
        .locator('[data-test="log-row"] img')
        .first()
        .evaluate((image) => (image as unknown as { decode(): Promise<void> }).decode());
      await screenshot(on, `log-${viewport}-${theme}`);
      await on.click('.nav-link:has-text("Status")');
      await on.locator('[data-test="images-calendar"] canvas').first().waitFor();
      await on.waitForTimeout(300);
      await screenshot(on, `status-${viewport}-${theme}`);
      await on.click('.nav-link:has-text("Admin")');
      await on.locator('[data-test="plot-type-editor"]').waitFor();
      await screenshot(on, `admin-${viewport}-${theme}`);
    }
}, 180_000);
