import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { UserRole } from '@hydra/contracts';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';

/** Debian's chromium; another browser with `CHROMIUM_PATH`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The built web app that labeler-api serves with `WEB_DIR`. */
export const WEB_DIST = resolve(__dirname, '../../../web/dist');
/** Where browser tests leave their screenshots (git-ignored), to be looked at. */
export const SCREENSHOTS = resolve(__dirname, '../../screenshots');

export const VIEWPORTS = {
  /** A control-room screen. */
  desktop: { width: 1920, height: 1080 },
  /** A phone in the shift crew's pocket. */
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;
export type Theme = 'light' | 'dark';

/** Fails early with the command to run when the web app has not been built. */
export function requireBuiltWebApp(): string {
  if (!existsSync(join(WEB_DIST, 'index.html')))
    throw new Error(`${WEB_DIST} has no index.html: run \`npm run build -w @hydra/web\` first`);
  return WEB_DIST;
}

function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`no browser at ${CHROMIUM_PATH}: install chromium or set CHROMIUM_PATH`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required'],
  });
}

/** A fresh browser profile (its own cookies and localStorage) on `baseURL`, in a viewport and a theme. */
async function openContext(
  browser: Browser,
  baseURL: string,
  options: { viewport?: ViewportName; theme?: Theme } = {},
): Promise<BrowserContext> {
  const viewport = options.viewport ?? 'desktop';
  const context = await browser.newContext({
    baseURL,
    viewport: VIEWPORTS[viewport],
    deviceScaleFactor: viewport === 'phone' ? 2 : 1,
    isMobile: viewport === 'phone',
    hasTouch: viewport === 'phone',
    colorScheme: options.theme ?? 'light',
  });
  // The theme toggle's remembered choice, set before the app reads it.
  await context.addInitScript(
    `localStorage.setItem('hydra.theme', ${JSON.stringify(JSON.stringify(options.theme ?? 'light'))})`,
  );
  return context;
}

/** A suite's Chromium on the web app at `baseUrl`: a fresh profile per page, all closed by `close`. */
export class SuiteBrowser {
  private readonly contexts: BrowserContext[] = [];

  private constructor(
    private readonly browser: Browser,
    private readonly baseUrl: string,
  ) {}

  static async launch(baseUrl: string): Promise<SuiteBrowser> {
    return new SuiteBrowser(await launchBrowser(), baseUrl);
  }

  async context(options: { viewport?: ViewportName; theme?: Theme } = {}): Promise<BrowserContext> {
    const context = await openContext(this.browser, this.baseUrl, options);
    this.contexts.push(context);
    return context;
  }

  async page(options: { viewport?: ViewportName; theme?: Theme } = {}): Promise<Page> {
    const page = await (await this.context(options)).newPage();
    keepJournal(page);
    return page;
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    await this.browser.close();
  }
}

/** Picks `label` in the Naive UI select marked `data-test`. */
export async function choose(on: Page, dataTest: string, label: string): Promise<void> {
  await on.click(`[data-test="${dataTest}"]`);
  await on.locator('.n-base-select-option', { hasText: label }).first().click();
}

/** Logs in through the Log-in page, as a person would, and waits for the page it leads to. */
export async function logIn(page: Page, name: string, password: string, path = '/run'): Promise<void> {
  await page.goto(path);
  await page.waitForURL(/\/login/);
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('[data-test="login-submit"]');
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Creates a person who logs in with a password, through the API with an admin's token. */
export async function createUser(
  apiBaseUrl: string,
  adminToken: string,
  user: { name: string; role: UserRole; password: string },
): Promise<void> {
  const response = await fetch(`${apiBaseUrl}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify(user),
  });
  if (!response.ok) throw new Error(`creating ${user.name}: ${response.status} ${await response.text()}`);
}

/** Saves `e2e/screenshots/<name>.png` (the whole page). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** What a page asked the server and what it logged, to say why a step of a test did not happen. */
interface RequestEntry {
  started: number;
  ended?: number;
  outcome?: string;
}

interface Journal {
  requests: Map<Request, RequestEntry>;
  console: string[];
}

const journals = new WeakMap<Page, Journal>();

function keepJournal(page: Page): void {
  const journal: Journal = { requests: new Map(), console: [] };
  journals.set(page, journal);
  const end = (request: Request, outcome: string) => {
    const entry = journal.requests.get(request);
    if (entry) Object.assign(entry, { ended: Date.now(), outcome });
  };
  page.on('request', (request) => journal.requests.set(request, { started: Date.now() }));
  page.on(
    'requestfinished',
    (request) =>
      void request.response().then((response) => end(request, String(response?.status() ?? 'no response'))),
  );
  page.on('requestfailed', (request) => end(request, `failed: ${request.failure()?.errorText ?? '?'}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      journal.console.push(`${message.type()}: ${message.text()}`);
  });
}

/** The page's unanswered and latest requests (with their times) and its logged errors. */
function explain(page: Page): string {
  const journal = journals.get(page);
  if (!journal) return '(no journal: the page was not opened by SuiteBrowser)';
  const now = Date.now();
  const line = ([request, entry]: [Request, RequestEntry]) =>
    `  ${request.method()} ${new URL(request.url()).pathname} ` +
    (entry.ended === undefined
      ? `unanswered for ${now - entry.started} ms`
      : `${entry.outcome} in ${entry.ended - entry.started} ms, ${now - entry.ended} ms ago`);
  const all = [...journal.requests.entries()];
  return [
    `page ${page.url()}`,
    'unanswered requests:',
    ...all.filter(([, entry]) => entry.ended === undefined).map(line),
    'the last 15 answered:',
    ...all
      .filter(([, entry]) => entry.ended !== undefined)
      .slice(-15)
      .map(line),
    'console errors and warnings:',
    ...journal.console.slice(-10).map((text) => `  ${text}`),
  ].join('\n');
}

/**
 * Runs one step of a test in the browser; when it fails, saves `failed-<name>.png` and fails with
 * what the page was waiting for, so a timeout in CI says more than that it timed out.
 */
export async function step<T>(page: Page, name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    await screenshot(page, `failed-${name}`).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${name}: ${reason}\n${explain(page)}`, { cause: error });
  }
}
