import type { LogDto } from '@hydra/contracts';
import { ago, MonitoringFixtures } from './support/monitoring.fixtures';
import { type LabelerApiHarness, startLabelerApi } from './support/labeler-api.harness';

let api: LabelerApiHarness;
const images: Record<string, string> = {};

beforeAll(async () => {
  api = await startLabelerApi();
  const fixtures = new MonitoringFixtures(api.bed.db);
  await fixtures.plotType('LogA', { groupName: 'FCAL' });
  await fixtures.plotType('LogB', { groupName: 'BCAL' });
  const verdicts: [string, string, number, string, boolean, number][] = [
    // name, plot type, run, verdict, confirmed, seconds ago
    ['badA', 'LogA', 100, 'Bad', true, 60],
    ['unsureA', 'LogA', 101, 'Good', false, 120],
    ['goodA', 'LogA', 101, 'Good', true, 180],
    ['badB', 'LogB', 102, 'Bad', true, 240],
    ['noDataB', 'LogB', 103, 'NoData', false, 300],
    ['oldBadA', 'LogA', 90, 'Bad', true, 2 * 86_400],
  ];
  for (const [name, plotType, runNumber, verdict, confirmed, secondsAgo] of verdicts) {
    images[name] = await fixtures.image(plotType, { capturedAt: ago(secondsAgo + 5), runNumber, chunk: 3 });
    await fixtures.verdict(images[name] as string, { verdict, confirmed, classifiedAt: ago(secondsAgo) });
  }
}, 60_000);
afterAll(() => api.stop());

const idsOf = (log: LogDto) =>
  log.entries.map((entry) => Object.keys(images).find((name) => images[name] === entry.imageId));

describe('the verdicts log', () => {
  it('lists confirmed-Bad and unconfirmed verdicts of the last 24 h, newest first', async () => {
    const reply = await (await api.client('viewer')).get<LogDto>('/api/log');
    expect(reply.status).toBe(200);
    expect(idsOf(reply.body)).toEqual(['badA', 'unsureA', 'badB', 'noDataB']);
    expect(reply.body.truncated).toBe(false);
    expect(Date.parse(reply.body.to) - Date.parse(reply.body.from)).toBe(86_400_000);
    expect(reply.body.entries[0]).toMatchObject({
      plotType: 'LogA',
      group: 'FCAL',
      runNumber: 100,
      chunk: 3,
      verdict: 'Bad',
      confirmed: true,
      modelId: null,
    });
  });

  it('narrows to a plot type, a group, a run range and a chosen window', async () => {
    expect(idsOf((await api.admin.get<LogDto>('/api/log?plotType=LogB')).body)).toEqual(['badB', 'noDataB']);
    expect(idsOf((await api.admin.get<LogDto>('/api/log?group=FCAL')).body)).toEqual(['badA', 'unsureA']);
    expect(idsOf((await api.admin.get<LogDto>('/api/log?runFrom=101&runTo=102')).body)).toEqual([
      'unsureA',
      'badB',
    ]);
    const from = encodeURIComponent(ago(3 * 86_400).toISOString());
    const to = encodeURIComponent(ago(86_400).toISOString());
    expect(idsOf((await api.admin.get<LogDto>(`/api/log?from=${from}&to=${to}`)).body)).toEqual(['oldBadA']);
  });

  it('refuses a window longer than 31 days, a reversed one and a reversed run range', async () => {
    const from = encodeURIComponent(ago(40 * 86_400).toISOString());
    const long = await api.admin.get(`/api/log?from=${from}`);
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/at most 31 days/);
    const reversed = await api.admin.get(
      `/api/log?from=${encodeURIComponent(ago(10).toISOString())}&to=${encodeURIComponent(ago(100).toISOString())}`,
    );
    expect(reversed.status).toBe(400);
    expect((await api.admin.get('/api/log?runFrom=5&runTo=4')).status).toBe(400);
    expect((await api.admin.get('/api/log?format=xml')).status).toBe(400);
  });

  it('downloads as CSV with a header row', async () => {
    const reply = await api.admin.get<string>('/api/log?format=csv&plotType=LogA');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(reply.headers.get('content-disposition')).toMatch(/^attachment; filename="hydra-log-.*\.csv"$/);
    const lines = reply.body.trim().split('\n');
    expect(lines[0]).toBe(
      'classifiedAt,plotType,group,runNumber,chunk,capturedAt,imageId,modelId,verdict,confidence,confirmed',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`,LogA,FCAL,100,3,`);
    expect(lines[1]).toContain(`,${images.badA},,Bad,`);
    expect(lines[1]).toMatch(/,true$/);
    expect(lines[2]).toMatch(/,Good,0\.9\d*,false$/);
  });

  it('answers 401 to the anonymous', async () => {
    expect((await api.anonymous.get('/api/log')).status).toBe(401);
  });
});
