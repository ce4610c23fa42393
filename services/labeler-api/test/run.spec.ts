import { randomUUID } from 'node:crypto';
import type { RunPlotDto, RunSnapshotDto } from '@hydra/contracts';
import { RunCondition } from '@hydra/db';
import { ago, MonitoringFixtures } from './support/monitoring.fixtures';
import { type LabelerApiHarness, startLabelerApi } from './support/labeler-api.harness';

let api: LabelerApiHarness;
let fixtures: MonitoringFixtures;
let modelId: string;
let newestImageId: string;
const alarmId = randomUUID();
const shelvedAlarmId = randomUUID();
const shelvedUntil = new Date(Date.now() + 3_600_000);

/** The start of the 30 s sparkline bucket `secondsAgo` falls in, as the snapshot names it. */
const bucketOf = (time: Date) => new Date(Math.floor(time.getTime() / 30_000) * 30_000).toISOString();
/** A time in the middle of a bucket about `minutes` ago, so two points a few seconds apart share it. */
const bucketMiddle = (minutes: number) =>
  new Date(Math.floor((Date.now() - minutes * 60_000) / 30_000) * 30_000 + 10_000);
// Taken once: recomputed in the test, a 30 s boundary passed since the fixtures were written would move them.
const shared = bucketMiddle(10);
const fiveMinutesAgo = bucketMiddle(5);

beforeAll(async () => {
  api = await startLabelerApi();
  fixtures = new MonitoringFixtures(api.bed.db);
  await fixtures.plotType('RunA', { groupName: 'FCAL' });
  await fixtures.plotType('RunB', { groupName: 'BCAL' });
  await fixtures.plotType('RunHidden', { hidden: true });
  modelId = await fixtures.model('RunA');

  // Sparkline: two verdicts sharing a bucket 10 minutes ago, one without a Bad output 5 minutes ago,
  // and one two hours ago that is outside the window.
  const sparkline: [Date, Record<string, number>][] = [
    [shared, { Good: 0.9, Bad: 0.1 }],
    [new Date(shared.getTime() + 5_000), { Good: 0.2, Bad: 0.6, NoData: 0.2 }],
    [fiveMinutesAgo, { Good: 0.7, NoData: 0.3 }],
    [ago(7200), { Good: 0.0, Bad: 1.0 }],
  ];
  for (const [classifiedAt, outputs] of sparkline) {
    const imageId = await fixtures.image('RunA', { capturedAt: ago(4 * 3600), runNumber: 10 });
    await fixtures.verdict(imageId, { modelId, verdict: 'Good', outputs, classifiedAt });
  }

  newestImageId = await fixtures.image('RunA', {
    capturedAt: ago(30),
    ingestedAt: ago(20),
    runNumber: 11,
    chunk: 7,
  });
  await fixtures.verdict(newestImageId, {
    modelId,
    verdict: 'Bad',
    outputs: { Good: 0.1, Bad: 0.8, NoData: 0.1 },
    classifiedAt: ago(19),
  });
  await fixtures.explanation(newestImageId, modelId, ago(18));
  await fixtures.image('RunHidden', { capturedAt: ago(60), runNumber: 12 });

  await fixtures.alarm('RunA', {
    alarmId,
    event: 'raised',
    state: 'active-unacknowledged',
    since: ago(300),
    occurredAt: ago(300),
  });
  await fixtures.alarm('RunA', {
    alarmId,
    event: 'acknowledged',
    state: 'active-acknowledged',
    since: ago(300),
    occurredAt: ago(200),
    by: 'shifter',
  });
  await fixtures.alarm('RunB', {
    alarmId: shelvedAlarmId,
    event: 'shelved',
    state: 'shelved',
    since: ago(900),
    occurredAt: ago(100),
    by: 'shifter',
    reason: 'HV trip, expert called',
    shelvedUntil,
  });
  await api.bed.db
    .getRepository(RunCondition)
    .insert({ eventId: randomUUID(), beamOn: false, beamCurrent: 0, by: 'daq', occurredAt: ago(1000) });
}, 60_000);
afterAll(() => api.stop());

const plot = (snapshot: RunSnapshotDto, name: string) =>
  snapshot.plots.find((candidate) => candidate.name === name) as RunPlotDto;

describe('the run snapshot', () => {
  it('shows the newest image of each plot type with its verdict, age and heat-map link', async () => {
    const reply = await (await api.client('viewer')).get<RunSnapshotDto>('/api/run');
    expect(reply.status).toBe(200);
    const a = plot(reply.body, 'RunA');
    expect(a).toMatchObject({
      group: 'FCAL',
      image: { id: newestImageId, runNumber: 11, chunk: 7 },
      verdict: { verdict: 'Bad', confidence: expect.closeTo(0.8, 5), confirmed: true, modelId },
      heatmapUrl: `/api/images/${newestImageId}/heatmaps/${modelId}`,
    });
    expect(a.verdict?.outputs).toEqual({
      Good: expect.closeTo(0.1, 5),
      Bad: expect.closeTo(0.8, 5),
      NoData: expect.closeTo(0.1, 5),
    });
    expect(a.ageSeconds).toBeGreaterThanOrEqual(19);
    expect(a.ageSeconds).toBeLessThan(60);
    expect(Date.parse(a.image?.receivedAt as string) - Date.parse(a.image?.capturedAt as string)).toBe(
      10_000,
    );
  });

  it('gives each plot type its alarm state with who acknowledged or shelved it', async () => {
    const snapshot = (await api.admin.get<RunSnapshotDto>('/api/run')).body;
    expect(plot(snapshot, 'RunA').alarm).toMatchObject({
      alarmId,
      state: 'active-acknowledged',
      severity: 'major',
      event: 'acknowledged',
      acknowledged: { by: 'shifter' },
      shelved: null,
    });
    expect(plot(snapshot, 'RunB')).toMatchObject({
      image: null,
      verdict: null,
      ageSeconds: null,
      heatmapUrl: null,
      sparkline: [],
      alarm: {
        state: 'shelved',
        acknowledged: null,
        shelved: { by: 'shifter', reason: 'HV trip, expert called', until: shelvedUntil.toISOString() },
      },
    });
  });

  it('draws the sparkline as mean P(Good) − P(Bad) per 30 s bucket of the last hour, a missing output as 0', async () => {
    const snapshot = (await api.admin.get<RunSnapshotDto>('/api/run')).body;
    const { sparkline } = plot(snapshot, 'RunA');
    expect(sparkline).toEqual([
      { t: bucketOf(shared), value: expect.closeTo((0.8 + -0.4) / 2, 5) },
      { t: bucketOf(fiveMinutesAgo), value: expect.closeTo(0.7, 5) },
      { t: expect.any(String), value: expect.closeTo(-0.7, 5) },
    ]);
    expect(sparkline.length).toBeLessThanOrEqual(120);
  });

  it('leaves hidden plot types out unless asked, and reports the run condition and newest run', async () => {
    const visible = (await api.admin.get<RunSnapshotDto>('/api/run')).body;
    expect(visible.plots.map((entry) => entry.name)).toEqual(['RunB', 'RunA']);
    expect(visible.runCondition).toMatchObject({ beamOn: false, beamCurrent: 0 });
    expect(visible.runNumber).toBe(12);
    const all = (await api.admin.get<RunSnapshotDto>('/api/run?hidden=true')).body;
    expect(all.plots.map((entry) => entry.name)).toEqual(['RunB', 'RunA', 'RunHidden']);
    expect((await api.admin.get('/api/run?hidden=maybe')).status).toBe(400);
  });

  it('adds verdicts given after the previous snapshot to the sparkline', async () => {
    await api.admin.get('/api/run');
    const imageId = await fixtures.image('RunB', { capturedAt: ago(400), runNumber: 11 });
    const classifiedAt = new Date();
    await fixtures.verdict(imageId, { verdict: 'Good', outputs: { Good: 0.6, Bad: 0.4 }, classifiedAt });
    const { sparkline } = plot((await api.admin.get<RunSnapshotDto>('/api/run')).body, 'RunB');
    expect(sparkline).toEqual([{ t: bucketOf(classifiedAt), value: expect.closeTo(0.2, 5) }]);
  });

  it('answers 401 to the anonymous', async () => {
    expect((await api.anonymous.get('/api/run')).status).toBe(401);
  });
});
