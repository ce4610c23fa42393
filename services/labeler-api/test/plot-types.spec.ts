import { Label, PlotType } from '@hydra/db';
import { type LabelerApiHarness, startLabelerApi } from './support/labeler-api.harness';

// Starting the app migrates a fresh database: slow on a busy machine.
jest.setTimeout(60_000);

let api: LabelerApiHarness;

beforeAll(async () => {
  api = await startLabelerApi();
  await api.plotTypes('FCAL_occupancy', 'CDC_timing');
});
afterAll(() => api.stop());

describe('reading plot types', () => {
  it('lists every plot type with its settings, palette and alarm policy', async () => {
    const viewer = await api.client('viewer');
    const reply = await viewer.get('/api/plot-types');
    expect(reply.status).toBe(200);
    const fcal = reply.body.find((plotType: { name: string }) => plotType.name === 'FCAL_occupancy');
    expect(fcal).toMatchObject({
      group: null,
      hidden: false,
      chunked: false,
      collectPercent: 5,
      alarm: { onDelay: 3, offDelay: 3, severity: 'major', enabled: true },
      palette: [],
      trainingGates: {},
      trainingDefaults: {},
      autoPromote: false,
      ignoreRegions: [],
      activeModelId: null,
    });
  });

  it('answers 404 for an unknown plot type and 400 for a malformed name', async () => {
    expect((await api.admin.get('/api/plot-types/Nope')).status).toBe(404);
    expect((await api.admin.get('/api/plot-types/bad%20name')).status).toBe(400);
  });
});

describe('creating plot types', () => {
  it('lets an admin create one with settings and a palette, and refuses the name twice', async () => {
    const created = await api.admin.post('/api/plot-types', {
      name: 'BCAL_energy',
      group: 'BCAL',
      chunked: true,
      palette: [
        { label: 'Good', hotkey: 'g' },
        { label: 'Bad', hotkey: 'b' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'BCAL_energy', group: 'BCAL', chunked: true });
    expect(created.body.palette.map((entry: { label: string }) => entry.label)).toEqual(['Good', 'Bad']);
    expect((await api.admin.post('/api/plot-types', { name: 'BCAL_energy' })).status).toBe(409);
  });

  it('refuses an expert', async () => {
    const expert = await api.client('expert', [{ plotType: 'FCAL_occupancy', canTrain: true }]);
    expect((await expert.post('/api/plot-types', { name: 'Sneaky' })).status).toBe(403);
    expect(await api.bed.db.getRepository(PlotType).existsBy({ name: 'Sneaky' })).toBe(false);
  });
});

describe('editing plot-type settings', () => {
  it('lets an expert with the train permission change exactly the settings given', async () => {
    const expert = await api.client('expert', [{ plotType: 'FCAL_occupancy', canTrain: true }]);
    const reply = await expert.patch('/api/plot-types/FCAL_occupancy', {
      group: 'FCAL',
      collectPercent: 12.5,
      contact: 'fcal-oncall@example.org',
      alarm: { onDelay: 5, severity: 'minor' },
      trainingGates: { minTestPerClass: 10, minBadRecall: 0.8, maxRegression: 0.01 },
      trainingDefaults: { architecture: 'mobilenet-v2', epochs: 20 },
      autoPromote: true,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      group: 'FCAL',
      hidden: false,
      collectPercent: 12.5,
      contact: 'fcal-oncall@example.org',
      alarm: { onDelay: 5, offDelay: 3, severity: 'minor', enabled: true },
      trainingGates: { minTestPerClass: 10, minBadRecall: 0.8, maxRegression: 0.01 },
      trainingDefaults: { architecture: 'mobilenet-v2', epochs: 20 },
      autoPromote: true,
    });
    expect((await api.admin.get('/api/plot-types/FCAL_occupancy')).body).toEqual(reply.body);
  });

  it('replaces the palette in order, creating a label it names for the first time', async () => {
    const expert = await api.client('expert', [{ plotType: 'FCAL_occupancy', canTrain: true }]);
    const reply = await expert.patch('/api/plot-types/FCAL_occupancy', {
      palette: [
        { label: 'Good', hotkey: '1' },
        { label: 'Bad', hotkey: '2' },
        { label: 'HotChannel', colour: '#ff8800', hotkey: '3' },
      ],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.palette).toEqual([
      { label: 'Good', colour: '#2e7d32', hotkey: '1', excludedFromTraining: false },
      { label: 'Bad', colour: '#c62828', hotkey: '2', excludedFromTraining: false },
      { label: 'HotChannel', colour: '#ff8800', hotkey: '3', excludedFromTraining: false },
    ]);
    const shorter = await expert.patch('/api/plot-types/FCAL_occupancy', {
      palette: [{ label: 'Bad' }, { label: 'Good' }],
    });
    expect(shorter.body.palette.map((entry: { label: string }) => entry.label)).toEqual(['Bad', 'Good']);
  });

  it("leaves a shared label's colour to admins", async () => {
    const expert = await api.client('expert', [{ plotType: 'FCAL_occupancy', canTrain: true }]);
    const refused = await expert.patch('/api/plot-types/FCAL_occupancy', {
      palette: [{ label: 'Bad', colour: '#000000' }],
    });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/shared by every plot type/);
    const allowed = await api.admin.patch('/api/plot-types/CDC_timing', {
      palette: [{ label: 'NoData', colour: '#111111' }],
    });
    expect(allowed.status).toBe(200);
    expect((await api.bed.db.getRepository(Label).findOneByOrFail({ name: 'NoData' })).colour).toBe(
      '#111111',
    );
  });

  it('validates gates, defaults and the palette', async () => {
    const bad = [
      { trainingGates: { minBadRecall: 2 } },
      { trainingGates: { minTestPerClass: 1.5 } },
      { trainingGates: { unknownGate: 1 } },
      { trainingDefaults: { architecture: 'resnet' } },
      { trainingDefaults: { parentModelId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' } },
      { palette: [{ label: 'Good' }, { label: 'Good' }] },
      {
        palette: [
          { label: 'Good', hotkey: 'x' },
          { label: 'Bad', hotkey: 'x' },
        ],
      },
      { alarm: { onDelay: 0 } },
      { activeModelId: null },
    ];
    for (const body of bad)
      expect([
        JSON.stringify(body),
        (await api.admin.patch('/api/plot-types/CDC_timing', body)).status,
      ]).toEqual([JSON.stringify(body), 400]);
  });

  it('lets an expert mask a title and a stats box, and refuses regions outside the image with the reason', async () => {
    const expert = await api.client('expert', [{ plotType: 'FCAL_occupancy', canTrain: true }]);
    const regions = [
      { x: 0, y: 0, width: 1, height: 0.08 },
      { x: 0.7, y: 0.3, width: 0.3, height: 0.7 },
    ];
    const reply = await expert.patch('/api/plot-types/FCAL_occupancy', { ignoreRegions: regions });
    expect([reply.status, reply.body.ignoreRegions]).toEqual([200, regions]);
    expect(
      (await api.bed.db.getRepository(PlotType).findOneByOrFail({ name: 'FCAL_occupancy' })).ignoreRegions,
    ).toEqual(regions);
    const refusals: [unknown, RegExp][] = [
      [[{ x: 0.8, y: 0, width: 0.3, height: 0.1 }], /right edge/],
      [[{ x: 0, y: 0.5, width: 0.5, height: 0.6 }], /bottom edge/],
      [[{ x: -0.1, y: 0, width: 0.5, height: 0.5 }], /x/],
      [[{ x: 0, y: 0, width: 0, height: 0.5 }], /width/],
      [[{ x: 0, y: 0, width: 0.5, height: 0.5, colour: 'red' }], /colour/],
      [[{ x: '0', y: 0, width: 0.5, height: 0.5 }], /x/],
      [Array.from({ length: 17 }, () => ({ x: 0, y: 0, width: 0.1, height: 0.1 })), /16/],
      [{ x: 0, y: 0, width: 1, height: 1 }, /ignoreRegions/],
    ];
    for (const [ignoreRegions, reason] of refusals) {
      const refused = await expert.patch('/api/plot-types/FCAL_occupancy', { ignoreRegions });
      expect([JSON.stringify(ignoreRegions), refused.status]).toEqual([JSON.stringify(ignoreRegions), 400]);
      expect(JSON.stringify(refused.body.message)).toMatch(reason);
    }
    expect((await api.admin.get('/api/plot-types/FCAL_occupancy')).body.ignoreRegions).toEqual(regions);
    const cleared = await expert.patch('/api/plot-types/FCAL_occupancy', { ignoreRegions: [] });
    expect(cleared.body.ignoreRegions).toEqual([]);
  });

  it('refuses an expert without the train permission on that plot type, changing nothing', async () => {
    const elsewhere = await api.client('expert', [{ plotType: 'CDC_timing', canTrain: true }]);
    const labeler = await api.client('labeler', [{ plotType: 'FCAL_occupancy', canLabel: true }]);
    const viewer = await api.client('viewer');
    const before = (await api.admin.get('/api/plot-types/FCAL_occupancy')).body;
    expect((await elsewhere.patch('/api/plot-types/FCAL_occupancy', { hidden: true })).status).toBe(403);
    expect((await labeler.patch('/api/plot-types/FCAL_occupancy', { hidden: true })).status).toBe(403);
    expect((await viewer.patch('/api/plot-types/FCAL_occupancy', { hidden: true })).status).toBe(403);
    expect((await api.admin.get('/api/plot-types/FCAL_occupancy')).body).toEqual(before);
  });

  it('answers 404 when an admin edits a plot type that does not exist', async () => {
    expect((await api.admin.patch('/api/plot-types/Missing', { hidden: true })).status).toBe(404);
  });
});
