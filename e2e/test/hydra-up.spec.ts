import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ImageDetail, ImagePage } from '@hydra/contracts';
import { waitFor } from '@hydra/messaging/testing';
import { freePort } from '@hydra/testing';

// `npm start -- --demo` on a fresh data folder, as a newcomer runs it: each test waits on real
// processes (an embedded PostgreSQL, the services, training on the CPU).
jest.setTimeout(900_000);

// The built `hydra` command (e2e depends on @hydra/cli, so it is built first).
const MAIN = resolve(__dirname, '../../cli/dist/main.js');
/** The demo, small: one plot per second, 150 labeled plots per plot type. */
const DEMO = ['--demo', '--demo-rate', '1', '--demo-images', '150'];
const THREE_MINUTES = 180_000;

/** A running `hydra up`: its output lines as they come, its pid, its way out. */
class HydraUp {
  readonly lines: string[] = [];
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly process: ChildProcess,
    readonly startedAt: number,
  ) {
    this.exited = once(process, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    for (const stream of [process.stdout, process.stderr])
      createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
        this.lines.push(line);
        for (const waiter of this.waiters) waiter();
      });
  }

  get output(): string {
    return this.lines.join('\n');
  }

  /** The first line matching `pattern` (from line `from` on), waiting up to `timeoutMs` for it. */
  line(pattern: RegExp, timeoutMs: number, from = 0): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.lines
          .slice(from)
          .map((line) => pattern.exec(line))
          .find(Boolean);
        if (match) {
          cleanup();
          resolve(match);
        } else if (this.process.exitCode !== null || this.process.signalCode !== null) {
          cleanup();
          reject(new Error(`hydra up ended without ${pattern}:\n${this.output.slice(-4000)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${pattern} within ${timeoutMs / 1000} s:\n${this.output.slice(-4000)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      this.process.once('exit', check);
      check();
    });
  }
}

function hydraUp(dataFolder: string, port: number, withNats: boolean, extra: string[] = DEMO): HydraUp {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing configured: everything embedded.
  for (const name of Object.keys(env))
    if (/^(DATABASE_URL|NATS_|S3_|STORAGE_|WATCH_DIRS|HYDRA_ADMIN|INTERNAL_API_TOKEN|LOG_)/.test(name))
      delete env[name];
  const folders = (env.PATH ?? '').split(delimiter);
  env.PATH = withNats
    ? [...new Set([...folders, '/usr/sbin', '/usr/local/sbin'])].join(delimiter)
    : folders.filter((folder) => !existsSync(join(folder, 'nats-server'))).join(delimiter);
  const child = spawn(
    process.execPath,
    [MAIN, 'up', '--data', dataFolder, '--port', String(port), ...extra],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new HydraUp(child, Date.now());
}

/** Every process below `root` (the services, the servers and their workers). */
async function descendants(root: number): Promise<number[]> {
  const parents = new Map<number, number[]>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    const parent = Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent) parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const visit = (pid: number) =>
    (parents.get(pid) ?? []).forEach((child) => {
      found.push(child);
      visit(child);
    });
  visit(root);
  return found;
}

/** Resident memory of a process and everything below it, in MiB. */
async function treeRssMiB(root: number): Promise<number> {
  let kib = 0;
  for (const pid of [root, ...(await descendants(root))]) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    kib += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return Math.round(kib / 1024);
}

/** The process below `root` whose command line matches `pattern`. */
async function processLike(root: number, pattern: RegExp): Promise<number> {
  for (const pid of await descendants(root)) {
    const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (pattern.test(command.replaceAll('\0', ' '))) return pid;
  }
  throw new Error(`no process like ${pattern} below ${root}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function stopAndCheckNothingIsLeft(up: HydraUp): Promise<void> {
  const pids = await descendants(up.process.pid as number);
  expect(pids.length).toBeGreaterThanOrEqual(3);
  up.process.kill('SIGINT');
  const [code] = await up.exited;
  expect(code).toBe(0);
  expect(up.output).toContain('hydra | stopped');
  // Reaped by now, or about to be (a grandchild is reparented and reaped by init).
  for (let waited = 0; waited < 50 && pids.some(alive); waited++)
    await new Promise((resolve) => setTimeout(resolve, 200));
  expect(pids.filter(alive)).toEqual([]);
}

interface Client {
  get<T>(path: string): Promise<T>;
}

/** labeler-api as the admin, logged in with the password hydra up made on the first start. */
async function api(dataFolder: string, port: number): Promise<Client> {
  const url = `http://127.0.0.1:${port}/api`;
  const password = (await readFile(join(dataFolder, 'admin-password'), 'utf8')).trim();
  const login = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'admin', password }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return {
    get: async <T>(path: string) => {
      const response = await fetch(`${url}${path}`, { headers: { cookie } });
      expect(response.status).toBe(200);
      return (await response.json()) as T;
    },
  };
}

async function imageCount(client: Client): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page: ImagePage = await client.get(`/images?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

const seconds = (match: RegExpMatchArray) => Number(match[1]);

describe.each([
  // A data folder only its owner may enter, as in a private home: as root, the embedded PostgreSQL
  // (which runs as the user postgres) keeps its cluster under /var/lib/hydra instead. This mode
  // also runs the whole first start and a second one; the other stops while the demo still trains
  // (npm test stays within its time: each full start trains three models).
  ['the in-process bus (no nats-server on PATH), in a private folder', false, true, true],
  ['a nats-server from PATH', true, false, false],
])('hydra up --demo with %s', (_mode, withNats, privateFolder, wholeLifecycle) => {
  let dataFolder: string;
  let port: number;
  let up: HydraUp | undefined;
  /** Where the embedded PostgreSQL keeps its cluster, as the summary says. */
  let clusterHome = '';
  const measured: Record<string, number> = {};

  beforeAll(async () => {
    dataFolder = await mkdtemp(join(tmpdir(), 'hydra-up-')); // mode 0700
    if (!privateFolder) await chmod(dataFolder, 0o755);
    port = await freePort();
  });

  afterAll(async () => {
    if (up && up.process.exitCode === null) {
      up.process.kill('SIGTERM');
      await up.exited;
    }
    await rm(dataFolder, { recursive: true, force: true });
    if (clusterHome && clusterHome !== dataFolder) await rm(clusterHome, { recursive: true, force: true });
    console.log(`hydra up with ${_mode}: ${JSON.stringify(measured)}`);
  });

  it('comes up on a fresh folder; within 3 minutes demo plots are judged by a trained model, an alarm rises and a heat map exists', async () => {
    up = hydraUp(dataFolder, port, withNats);
    await up.line(/^Ctrl-C stops everything/, THREE_MINUTES);
    expect(up.output).toMatch(
      withNats ? /broker\s+.*nats-server on nats:\/\/127\.0\.0\.1/ : /broker\s+in-process bus/,
    );
    clusterHome = (/embedded PostgreSQL .*, data in (\S+)\/postgres$/m.exec(up.output) ?? [])[1] ?? '';
    const rootWithPrivateFolder = privateFolder && process.getuid?.() === 0;
    expect(clusterHome).toEqual(
      rootWithPrivateFolder ? expect.stringMatching(/^\/var\/lib\/hydra\//) : dataFolder,
    );
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);

    const remaining = () => THREE_MINUTES - (Date.now() - (up as HydraUp).startedAt);
    measured.firstModelVerdictS = seconds(
      await up.line(/first verdict by a trained model after (\d+) s/, remaining()),
    );
    measured.firstAlarmS = seconds(await up.line(/first alarm after (\d+) s/, remaining()));
    measured.firstHeatMapS = seconds(await up.line(/first heat map after (\d+) s/, remaining()));

    // The same through the API, as the web app sees it.
    const client = await api(dataFolder, port);
    const page = await client.get<ImagePage>('/images?plotType=FCAL_occupancy&limit=50');
    expect(page.items.some((image) => image.latestVerdict?.modelId)).toBe(true);
    const alarms = await client.get<{ plotType: string; state: string }[]>('/alarms');
    expect(alarms.length).toBeGreaterThan(0);
    const bad = await client.get<ImagePage>('/images?verdict=Bad&confirmed=true&limit=20');
    const details = await Promise.all(
      bad.items.map((image) => client.get<ImageDetail>(`/images/${image.id}`)),
    );
    expect(details.some((detail) => detail.heatmaps.length > 0)).toBe(true);
    measured.rssWithDemoMiB = await treeRssMiB(up.process.pid as number);
    // The rest of the first start: every demo plot type gets its model.
    if (wholeLifecycle)
      await up.line(/demo: the first models are ready \(3 of/, 600_000 - (Date.now() - up.startedAt));
  });

  if (withNats)
    it('starts a killed service, broker and database again, and the plots go on being judged', async () => {
      const running = up as HydraUp;
      const root = running.process.pid as number;
      const classifier = await processLike(root, /services\/classifier\/dist\/main\.js/);
      const nats = await processLike(root, /nats-server .*--server_name hydra-up/);
      const postgres = await processLike(root, /\/bin\/postgres -D /);
      const from = running.lines.length;
      const killedAt = Date.now();
      for (const pid of [classifier, nats, postgres]) process.kill(pid, 'SIGKILL');
      // The database's host process notices its server gone and stops too (exit 1).
      for (const [part, exit] of [
        ['classifier', 'SIGKILL'],
        ['nats', 'SIGKILL'],
        ['postgres', '1'],
      ])
        await running.line(
          new RegExp(`^hydra \\| ${part} stopped unexpectedly \\(exit ${exit}\\).*; starting it again`),
          30_000,
          from,
        );
      // A plot that came after the kill, judged by the classifier started again, through the broker and
      // the database started again; the API answers again once the database has recovered.
      let client: Client | undefined;
      await waitFor(
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 500));
          try {
            client ??= await api(dataFolder, port);
            const page = await client.get<ImagePage>('/images?limit=20');
            return page.items.some(
              (image) => image.latestVerdict && Date.parse(image.latestVerdict.classifiedAt) > killedAt,
            );
          } catch {
            return false;
          }
        },
        'a verdict after the restarts',
        240_000,
      );
      expect(await processLike(root, /services\/classifier\/dist\/main\.js/)).not.toBe(classifier);
      expect(await processLike(root, /\/bin\/postgres -D /)).not.toBe(postgres);
      expect(running.lines.slice(from).join('\n')).not.toMatch(/not started again/);
    });

  it('refuses a second hydra up on the same data folder while one runs', async () => {
    const second = hydraUp(dataFolder, await freePort(), withNats);
    const [code] = await second.exited;
    expect(code).toBe(1);
    expect(second.output).toMatch(new RegExp(`Hydra is already running on .* \\(pid ${up?.process.pid}`));
  });

  it('stops every part on SIGINT', async () => {
    await stopAndCheckNothingIsLeft(up as HydraUp);
    expect(existsSync(join(dataFolder, 'hydra.lock'))).toBe(false);
  });

  if (wholeLifecycle)
    it('keeps everything on a second start, without training again', async () => {
      up = hydraUp(dataFolder, port, withNats);
      await up.line(/^Ctrl-C stops everything/, THREE_MINUTES);
      const client = await api(dataFolder, port);
      expect(await imageCount(client)).toBeGreaterThan(400);
      const remaining = () => THREE_MINUTES - (Date.now() - (up as HydraUp).startedAt);
      measured.secondStartModelVerdictS = seconds(
        await up.line(/first verdict by a trained model after (\d+) s/, remaining()),
      );
      measured.secondStartAlarmS = seconds(await up.line(/first alarm after (\d+) s/, remaining()));
      expect(up.output).not.toContain('first start');
      await stopAndCheckNothingIsLeft(up);
    });
});
