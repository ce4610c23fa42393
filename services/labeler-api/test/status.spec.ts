import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StageLatencyDto, StatusDto } from '@hydra/contracts';
import { defaultDeliveryPolicy, InProcessBus, inProcessConsumerLag } from '@hydra/messaging';
import { NATS_URL } from '@hydra/messaging/testing';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ago, MonitoringFixtures } from './support/monitoring.fixtures';
import { type LabelerApiHarness, startLabelerApi } from './support/labeler-api.harness';

let api: LabelerApiHarness;
let nats: NatsConnection;
const servers: Server[] = [];

/** An HTTP server answering every request with `status` and `body`, or never when `status` is null. */
async function fakeService(status: number | null, body: unknown): Promise<string> {
  const server = createServer((request, response) => {
    if (status === null) return; // hangs, as a wedged process does
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port that nothing listens on any more. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  const healthy = await fakeService(200, { status: 'ok', info: { database: { status: 'up' } } });
  const failing = await fakeService(503, { status: 'error', error: { messaging: { status: 'down' } } });
  const wedged = await fakeService(null, null);
  const gone = await closedPort();
  api = await startLabelerApi({
    SERVICE_HEALTH_URLS: `ingest=${healthy},classifier=${failing},explainer=${wedged},trainer=${gone}`,
  });
  const fixtures = new MonitoringFixtures(api.bed.db);
  await fixtures.plotType('StatusA');
  const modelId = await fixtures.model('StatusA');
  // ingest→classified 150 ms, 300 ms, 4 s; one from two days ago is outside the window.
  const samples: [number, number, number | null][] = [
    [150, 600, 1_200],
    [300, 900, 2_500],
    [4_000, 1_200, null],
    [50, 2 * 86_400, null],
  ];
  for (const [latencyMs, secondsAgo, explainMs] of samples) {
    const ingestedAt = ago(secondsAgo);
    const imageId = await fixtures.image('StatusA', { capturedAt: ingestedAt, ingestedAt });
    const classifiedAt = new Date(ingestedAt.getTime() + latencyMs);
    await fixtures.verdict(imageId, { modelId, verdict: 'Bad', classifiedAt });
    if (explainMs !== null)
      await fixtures.explanation(imageId, modelId, new Date(classifiedAt.getTime() + explainMs));
  }
  await fixtures.image('StatusA', { capturedAt: ago(3 * 86_400), ingestedAt: ago(3 * 86_400) });
  await fixtures.image('StatusA', { capturedAt: ago(400 * 86_400), ingestedAt: ago(400 * 86_400) });

  // A real durable consumer on the test's stream: three messages, one delivered and not acknowledged.
  nats = await connect({ servers: NATS_URL });
  const { stream, subjectPrefix } = api.bed.namespace;
  await (
    await jetstreamManager(nats)
  ).consumers.add(stream, {
    durable_name: 'status-test',
    filter_subject: `${subjectPrefix}label.added`,
    ack_policy: AckPolicy.Explicit,
  });
  const client = jetstream(nats);
  for (let index = 0; index < 3; index++) await client.publish(`${subjectPrefix}label.added`, '{}');
  const delivered = await (await client.consumers.get(stream, 'status-test')).next();
  expect(delivered).not.toBeNull();
}, 60_000);
afterAll(async () => {
  await nats?.close();
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await api.stop();
});

const stage = (status: StatusDto, name: StageLatencyDto['stage']) =>
  status.latency.find((entry) => entry.stage === name) as StageLatencyDto;
const filled = (latency: StageLatencyDto) =>
  latency.buckets
    .filter((bucket) => bucket.count > 0)
    .map(({ fromMs, toMs, count }) => [fromMs, toMs, count]);

describe('the status page', () => {
  let status: StatusDto;
  beforeAll(async () => {
    const reply = await (await api.client('viewer')).get<StatusDto>('/api/status');
    expect(reply.status).toBe(200);
    status = reply.body;
  });

  it('counts each stage latency of the last 24 h into log-spaced buckets with p50 and p99', () => {
    const classified = stage(status, 'ingest-to-classified');
    expect(classified.count).toBe(3);
    expect(filled(classified)).toEqual([
      [100, 200, 1],
      [200, 500, 1],
      [2_000, 5_000, 1],
    ]);
    expect(classified.p50Ms).toBeCloseTo(300, 3);
    expect(classified.p99Ms).toBeCloseTo(300 + 0.98 * 3_700, 3);
    expect(classified.buckets[0]).toMatchObject({ fromMs: 0, toMs: 1 });
    expect(classified.buckets.at(-1)).toMatchObject({ fromMs: 1_000_000, toMs: null });

    const explained = stage(status, 'classified-to-explained');
    expect(explained.count).toBe(2);
    expect(filled(explained)).toEqual([
      [1_000, 2_000, 1],
      [2_000, 5_000, 1],
    ]);
    expect(explained.p50Ms).toBeCloseTo(1_850, 3);
  });

  it('counts images per UTC day over the last year', () => {
    const days = new Map(status.imagesPerDay.map(({ day, count }) => [day, count]));
    expect(
      days.get(
        ago(3 * 86_400)
          .toISOString()
          .slice(0, 10),
      ),
    ).toBe(1);
    expect([...days.values()].reduce((sum, count) => sum + count, 0)).toBe(5);
    expect(
      days.has(
        ago(400 * 86_400)
          .toISOString()
          .slice(0, 10),
      ),
    ).toBe(false);
    expect(status.imagesPerDay.map(({ day }) => day)).toEqual([...days.keys()].sort());
  });

  it('reports the backlog of every durable consumer on the stream', () => {
    expect(status.consumers).toMatchObject({ transport: 'jetstream', stream: api.bed.namespace.stream });
    expect(status.consumers.lag).toContainEqual({
      consumer: 'status-test',
      subject: 'label.added',
      pending: 2,
      ackPending: 1,
      lag: 3,
    });
    expect(status.consumers.lag.map((consumer) => consumer.consumer)).toContain('labeler-api__model_trained');
  });

  it("reports each configured service's /health as up, down or unreachable", () => {
    const byName = Object.fromEntries(status.services.map((service) => [service.name, service]));
    expect(byName.ingest).toMatchObject({
      status: 'up',
      httpStatus: 200,
      body: { status: 'ok' },
      error: null,
    });
    expect(byName.classifier).toMatchObject({ status: 'down', httpStatus: 503, body: { status: 'error' } });
    expect(byName.explainer).toMatchObject({ status: 'unreachable', httpStatus: null });
    expect(byName.explainer?.error).toMatch(/within 1000 ms/);
    expect(byName.explainer?.latencyMs).toBeLessThan(3_000);
    expect(byName.trainer).toMatchObject({ status: 'unreachable', httpStatus: null });
    expect(byName.trainer?.error).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it('answers 401 to the anonymous', async () => {
    expect((await api.anonymous.get('/api/status')).status).toBe(401);
  });
});

describe('consumer lag on the in-process bus', () => {
  it('reports each consumer group’s waiting and running messages, with a note', async () => {
    const bus = new InProcessBus();
    let release: (outcome: { kind: 'ack' }) => void = () => undefined;
    const stop = bus.consume('classifier__image.new', 'image.new', defaultDeliveryPolicy, () => {
      return new Promise<{ kind: 'ack' }>((resolve) => (release = resolve));
    });
    for (const id of ['one', 'two', 'three']) bus.publish('image.new', '{}', id);
    const report = inProcessConsumerLag(bus);
    expect(report.transport).toBe('in-process');
    expect(report.note).toMatch(/in-process/);
    expect(report.consumers).toEqual([
      { consumer: 'classifier__image.new', subject: 'image.new', pending: 2, ackPending: 1, lag: 3 },
    ]);
    const stopped = stop();
    release({ kind: 'ack' });
    await stopped;
  });
});
