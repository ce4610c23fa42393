import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Image, Model, PlotType } from '@hydra/db';
import { createIngestApp, ingestConfigFromEnv } from '@hydra/ingest';
import { createLabelerApiApp, labelerApiConfigFromEnv } from '@hydra/labeler-api';
import { simulatePlot } from '@hydra/simulator';
import { createApiToken, type ServiceTestBed, startServiceTestBed } from '@hydra/testing';
import { CommanderError } from 'commander';
import { createProgram } from '../src/program';

const INTERNAL_TOKEN = 'cli-test-internal-token-0123';
let bed: ServiceTestBed;
let url: string;
let adminToken: string;
let plots: string;

/** Runs `hydra …` in this process; `code` is what main would exit with. */
async function hydra(args: string[], env: Record<string, string> = {}, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const program = createProgram({
    env: { HYDRA_URL: url, HYDRA_TOKEN: adminToken, ...env },
    print: (line) => out.push(line),
    error: (line) => err.push(line),
    readStdin: async () => stdin,
  });
  let code = 0;
  try {
    await program.parseAsync(['node', 'hydra', ...args]);
  } catch (error) {
    code = error instanceof CommanderError ? (error.exitCode === 0 ? 0 : 2) : 1;
    err.push((error as Error).message);
  }
  return { out: out.join('\n'), err: err.join('\n'), code };
}

beforeAll(async () => {
  bed = await startServiceTestBed('hydra_cli_commands');
  const ingest = await createIngestApp(
    { ...ingestConfigFromEnv({ DATABASE_URL: bed.databaseUrl }), internalToken: INTERNAL_TOKEN },
    bed.connections(bed.store),
  );
  const { url: ingestUrl } = await bed.serve(ingest, 'image.new');
  const api = await createLabelerApiApp(
    labelerApiConfigFromEnv({
      DATABASE_URL: bed.databaseUrl,
      HYDRA_ADMIN_PASSWORD: 'cli-test-admin-password',
      INGEST_URL: ingestUrl,
      INTERNAL_API_TOKEN: INTERNAL_TOKEN,
    }),
    bed.connections(bed.store),
  );
  ({ url } = await bed.serve(api, 'label.added'));
  adminToken = await createApiToken(bed.db, 'admin', 'admin');
  plots = await mkdtemp(join(tmpdir(), 'hydra-cli-plots-'));
  for (const [chunk, label] of (['Good', 'Bad', 'Good'] as const).entries()) {
    const folder = join(plots, 'RunPeriod-2026-01', 'Run012345');
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, `FCAL_occupancy_${String(chunk).padStart(4, '0')}.png`),
      (await simulatePlot('FCAL_occupancy', label, chunk)).png,
    );
  }
  await writeFile(join(plots, 'RunPeriod-2026-01', 'notes.png'), 'not in a Run folder');
}, 120_000);

afterAll(async () => {
  await bed?.stop();
  await rm(plots, { recursive: true, force: true });
});

describe('usage', () => {
  it('answers a wrong command or a missing argument with the usage and exit code 2', async () => {
    expect(await hydra(['launch'])).toMatchObject({
      code: 2,
      err: expect.stringContaining("unknown command 'launch'"),
    });
    const missing = await hydra(['train']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/missing required argument 'plotType'/);
    expect((await hydra(['users', 'add', 'x', '--role', 'boss'])).err).toMatch(
      /Allowed choices are viewer, shift/,
    );
  });

  it('says what to do when there are no credentials or no Hydra', async () => {
    expect((await hydra(['models', 'X'], { HYDRA_TOKEN: '' })).err).toMatch(/set HYDRA_TOKEN/);
    const nobody = await hydra(['models', 'X'], { HYDRA_URL: 'http://127.0.0.1:9' });
    expect(nobody).toMatchObject({ code: 1, err: expect.stringContaining('start one with `npm start`') });
  });
});

describe('accounts and tokens', () => {
  it('adds a user with a password from standard input, grants a plot type, and lists both', async () => {
    expect(
      (
        await hydra(
          ['users', 'add', 'ada', '--role', 'labeler', '--password-stdin'],
          {},
          'ada-secret-password\n',
        )
      ).out,
    ).toBe('made ada (labeler)');
    await bed.db.query(`INSERT INTO plot_type (name) VALUES ('FCAL_occupancy') ON CONFLICT DO NOTHING`);
    expect((await hydra(['users', 'grant', 'ada', 'FCAL_occupancy', '--label'])).out).toBe(
      'ada may now label FCAL_occupancy',
    );
    expect((await hydra(['users', 'list'])).out).toMatch(/ada\s+labeler\s+yes\s+FCAL_occupancy:label/);
    // The password works for a log-in instead of a token.
    const asAda = await hydra(['models', 'FCAL_occupancy'], {
      HYDRA_TOKEN: '',
      HYDRA_USER: 'ada',
      HYDRA_PASSWORD: 'ada-secret-password',
    });
    expect(asAda.out).toMatch(/has no models yet/);
  });

  it('makes a token that works, printed alone on standard output', async () => {
    const made = await hydra(['token', 'create', 'daq-bridge', '--role', 'shift']);
    expect(made.out).toMatch(/^hydra_[A-Za-z0-9_-]+$/);
    expect(made.err).toMatch(/acting as daq-bridge/);
    const status = await hydra(['status'], { HYDRA_TOKEN: made.out });
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/stage\s+images/);
    // A shift token may not train.
    expect(await hydra(['train', 'FCAL_occupancy'], { HYDRA_TOKEN: made.out })).toMatchObject({
      code: 1,
      err: expect.stringMatching(/needs the expert role/),
    });
  });
});

describe('hydra models', () => {
  it('lists accuracy and Bad recall with their 95 % intervals, plainly for models stored before them', async () => {
    await bed.db.getRepository(PlotType).upsert({ name: 'CDC_timing' }, ['name']);
    const model = (id: string, summary: Record<string, unknown>, createdAt: string) => ({
      id,
      plotType: 'CDC_timing',
      architecture: 'hydra-cnn' as const,
      status: 'candidate' as const,
      labels: ['Good', 'Bad'],
      inputShape: [72, 96, 3],
      artifactPrefix: `models/CDC_timing/${id}/`,
      metrics: { summary },
      trainedBy: 'expert',
      createdAt: new Date(createdAt),
    });
    await bed.db.getRepository(Model).insert([
      model(
        '00000000-0000-4000-8000-00000000000a',
        {
          accuracy: 0.9533,
          accuracyInterval: { lower: 0.9121, upper: 0.9781 },
          macroF1: 0.95,
          badRecall: 0.9,
          badRecallInterval: { lower: 0.7438, upper: 0.9654 },
          testImages: 150,
        },
        '2026-12-02T10:00:00Z',
      ),
      model(
        '00000000-0000-4000-8000-00000000000b',
        { accuracy: 0.9, macroF1: 0.9, badRecall: null },
        '2026-12-01T10:00:00Z',
      ),
    ]);
    const lines = (await hydra(['models', 'CDC_timing'])).out.split('\n');
    expect(lines[0]).toMatch(/accuracy \(95 %\)\s+Bad recall \(95 %\)/);
    expect(lines.find((line) => line.includes('0000000a'))).toMatch(
      /candidate\s+0\.953 \[0\.912, 0\.978\]\s+0\.900 \[0\.744, 0\.965\]/,
    );
    expect(lines.find((line) => line.includes('0000000b'))).toMatch(/candidate\s+0\.900\s+–\s/);
  });
});

describe('hydra feed', () => {
  it('pushes every plot of a folder through the API, skipping files that break the naming convention', async () => {
    const fed = await hydra(['feed', plots, '--rate', '20']);
    expect(fed.out).toMatch(/^fed 3 of 4 plots/);
    expect(fed.err).toMatch(/skipped RunPeriod-2026-01\/notes.png/);
    const images = await bed.db
      .getRepository(Image)
      .find({ where: { plotType: 'FCAL_occupancy' }, order: { chunk: 'ASC' } });
    expect(images.map((image) => [image.runNumber, image.chunk])).toEqual([
      [12345, 0],
      [12345, 1],
      [12345, 2],
    ]);
  });

  it('writes them into a watched folder with --into, complete files only', async () => {
    const watched = await mkdtemp(join(tmpdir(), 'hydra-cli-watch-'));
    try {
      expect((await hydra(['feed', plots, '--into', watched, '--rate', '50'])).out).toMatch(/^fed 3 of 4/);
      expect((await readdir(join(watched, 'RunPeriod-2026-01', 'Run012345'))).sort()).toEqual([
        'FCAL_occupancy_0000.png',
        'FCAL_occupancy_0001.png',
        'FCAL_occupancy_0002.png',
      ]);
    } finally {
      await rm(watched, { recursive: true, force: true });
    }
  });
});
