import { randomUUID } from 'node:crypto';
import {
  type ClientToServerEvents,
  type ImageClassifiedEvent,
  type LiveHandshake,
  type LiveMessage,
  type ServerToClientEvents,
  Subjects,
} from '@hydra/contracts';
import { EventPublisher } from '@hydra/messaging';
import { classifiedPayload, waitFor } from '@hydra/messaging/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { io, type Socket } from 'socket.io-client';
import { createLabelerApiApp } from '../src/labeler-api.app';
import { labelerApiConfigFromEnv } from '../src/labeler-api.config';
import { ADMIN_PASSWORD, type LabelerApiHarness, startLabelerApi } from './support/labeler-api.harness';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** What a socket received, in order: every event with its name. */
interface Received {
  name: string;
  seq?: number;
  event?: { id: string; plotType?: string };
  [key: string]: unknown;
}

let api: LabelerApiHarness;
let viewerToken: string;
let replica: NestExpressApplication;
let replicaUrl: string;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  api = await startLabelerApi();
  viewerToken = (await api.client('viewer')).token as string;
  // A second replica: same database and stream, its own process-wide state.
  const config = labelerApiConfigFromEnv({
    DATABASE_URL: api.bed.databaseUrl,
    HYDRA_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
  replica = await createLabelerApiApp(config, api.bed.connections(api.bed.store));
  await replica.listen(0, '127.0.0.1');
  replicaUrl = await replica.getUrl();
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await replica?.close();
  await api?.stop();
});

/** A connected socket recording everything it receives; rejects with the `connect_error`. */
async function connect(
  auth: LiveHandshake,
  url = api.url,
  extraHeaders: Record<string, string> = {},
): Promise<{ socket: ClientSocket; received: Received[] }> {
  const socket: ClientSocket = io(url, {
    auth,
    extraHeaders,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  const received: Received[] = [];
  socket.onAny((name: string, message: Record<string, unknown>) => received.push({ name, ...message }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  await waitFor(
    () => received.some((item) => item.name === 'live:ready' || item.name === 'live:resync'),
    'ready',
  );
  return { socket, received };
}

const publish = (plotType?: string) =>
  api.app.get(EventPublisher).publish(Subjects.imageClassified, classifiedPayload(plotType));

const verdicts = (received: Received[]) => received.filter((item) => item.name === 'image:classified');

describe('live updates over Socket.IO', () => {
  it('sends a viewer each image.classified with its stream sequence', async () => {
    const { received } = await connect({ token: viewerToken });
    const sent = await publish();
    await waitFor(() => verdicts(received).length === 1, 'the verdict');
    const [message] = verdicts(received) as unknown as LiveMessage<ImageClassifiedEvent>[];
    expect(message?.event).toEqual(sent);
    expect(message?.seq).toBeGreaterThan(0);
  });

  it('refuses a handshake without a valid credential, saying why', async () => {
    for (const auth of [{}, { token: 'hydra_not-a-token' }]) {
      const refused = await connect(auth).catch((error: Error & { data?: unknown }) => error);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toMatch(/authentication required/);
      expect((refused as Error & { data?: unknown }).data).toMatchObject({ status: 401 });
    }
  });

  it('accepts the session cookie of a logged-in person', async () => {
    const login = await fetch(`${api.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'admin', password: ADMIN_PASSWORD }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const { received } = await connect({}, api.url, { cookie });
    expect(received[0]?.name).toBe('live:ready');
  });

  it('sends only the watched plot types, and events without a plot type to everyone', async () => {
    const { socket, received } = await connect({ token: viewerToken, plotTypes: ['CDC_timing'] });
    const watching = await socket.emitWithAck('plot-types:watch', ['FCAL_occupancy']);
    expect(watching).toEqual(['FCAL_occupancy']);
    const wanted = await publish('FCAL_occupancy');
    await publish('CDC_timing');
    const explained = await api.app.get(EventPublisher).publish(Subjects.imageExplained, {
      imageId: randomUUID(),
      modelId: randomUUID(),
      heatmapKey: 'heatmaps/x/y.png',
    });
    await waitFor(() => received.some((item) => item.name === 'image:explained'), 'the heat map');
    expect(verdicts(received).map((item) => item.event?.id)).toEqual([wanted.id]);
    expect(received.find((item) => item.name === 'image:explained')?.event?.id).toBe(explained.id);
  });

  it('every replica delivers every event to its own clients', async () => {
    const [first, second] = await Promise.all([
      connect({ token: viewerToken }),
      connect({ token: viewerToken }, replicaUrl),
    ]);
    const sent = [];
    for (let index = 0; index < 20; index++) sent.push(await publish());
    await waitFor(
      () => verdicts(first.received).length === 20 && verdicts(second.received).length === 20,
      'twenty verdicts on each replica',
    );
    const ids = sent.map((event) => event.id);
    expect(verdicts(first.received).map((item) => item.event?.id)).toEqual(ids);
    expect(verdicts(second.received).map((item) => item.event?.id)).toEqual(ids);
  });

  it('a client that drops out of a burst and resumes from its last sequence gets every event once, in order', async () => {
    const before = await connect({ token: viewerToken });
    const sent: ImageClassifiedEvent[] = [];
    const burst = (async () => {
      for (let index = 0; index < 200; index++) sent.push(await publish());
    })();
    await waitFor(() => verdicts(before.received).length >= 60, 'the first part of the burst');
    before.socket.disconnect();
    const seen = verdicts(before.received);
    const since = seen.at(-1)?.seq as number;
    // Resumes while the burst goes on, so the replay and the live events meet.
    const after = await connect({ token: viewerToken, since }, replicaUrl);
    await burst;
    // A last event after the burst: once it is here, anything sent twice would have arrived before it.
    const last = await publish();
    await waitFor(
      () => verdicts(after.received).some((item) => item.event?.id === last.id),
      'the last event',
    );
    const all = [...seen, ...verdicts(after.received)];
    expect(all.map((item) => item.event?.id)).toEqual([...sent, last].map((event) => event.id));
    const sequences = all.map((item) => item.seq as number);
    expect(sequences).toEqual([...new Set(sequences)].sort((a, b) => a - b));
    const ready = after.received.find((item) => item.name === 'live:ready');
    expect(ready?.replayed).toBeGreaterThan(0);
  });

  it('resumes on an open connection with live:resume', async () => {
    const { socket, received } = await connect({ token: viewerToken });
    const first = await publish();
    await waitFor(() => verdicts(received).length === 1, 'the first verdict');
    const since = verdicts(received)[0]?.seq as number;
    const missed = [await publish(), await publish()];
    await waitFor(() => verdicts(received).length === 3, 'both live');
    socket.emit('live:resume', since);
    await waitFor(
      () => received.filter((item) => item.name === 'live:ready').length === 2,
      'the second ready',
    );
    expect(verdicts(received).map((item) => item.event?.id)).toEqual([
      first.id,
      ...missed.map((event) => event.id),
      ...missed.map((event) => event.id),
    ]);
  });

  it('tells a client whose sequence the stream does not have to reload from REST', async () => {
    const { received } = await connect({ token: viewerToken, since: 10_000_000 });
    expect(received[0]).toMatchObject({ name: 'live:resync', reason: 'unknown-sequence' });
    const sent = await publish();
    await waitFor(() => verdicts(received).length === 1, 'live events after the resync');
    expect(verdicts(received)[0]?.event?.id).toBe(sent.id);
  });
});
