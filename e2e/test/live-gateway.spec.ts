import type {
  ClientToServerEvents,
  ImageClassifiedEvent,
  ImageUploadResponse,
  LiveMessage,
  ServerToClientEvents,
} from '@hydra/contracts';
import { waitFor } from '@hydra/messaging/testing';
import { simulatePlot } from '@hydra/simulator';
import { startHydraProcesses, type HydraProcesses } from '@hydra/testing';
import { io, type Socket } from 'socket.io-client';

const PLOT = 'FCAL_occupancy';
let loop: HydraProcesses;
let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;

beforeAll(async () => {
  loop = await startHydraProcesses({
    scripts: {
      ingest: require.resolve('@hydra/ingest/dist/main.js'),
      classifier: require.resolve('@hydra/classifier/dist/main.js'),
      'labeler-api': require.resolve('@hydra/labeler-api/dist/main.js'),
    },
    plotType: PLOT,
    thresholds: { Good: 0.5, Bad: 0.5, NoData: 0.5 },
    store: 'local',
  });
}, 300_000);

afterAll(async () => {
  socket?.disconnect();
  await loop?.stop();
});

it('pushes the verdict of an image uploaded through labeler-api to a Socket.IO client of labeler-api', async () => {
  const verdicts: LiveMessage<ImageClassifiedEvent>[] = [];
  socket = io(loop.services['labeler-api']?.url as string, {
    auth: { token: await loop.apiToken('e2e-watcher', 'viewer'), plotTypes: [PLOT] },
    transports: ['websocket'],
  });
  socket.on('image:classified', (message) => verdicts.push(message));
  await new Promise<void>((resolve, reject) => {
    socket?.once('live:ready', () => resolve());
    socket?.once('connect_error', reject);
  });

  const { png } = await simulatePlot(PLOT, 'Good', 4242);
  const query = `plotType=${PLOT}&runPeriod=RunPeriod-2026-01&runNumber=7`;
  const push = async (url: string, headers: Record<string, string>) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'image/png', ...headers },
      body: new Uint8Array(png),
    });
  const api = `${loop.services['labeler-api']?.url}/api/images?${query}`;
  // Only through labeler-api, and only with a role that may push images.
  expect((await push(`${loop.services.ingest?.url}/images?${query}`, {})).status).toBe(403);
  const viewer = await loop.apiToken('e2e-viewer', 'viewer');
  expect((await push(api, { authorization: `Bearer ${viewer}` })).status).toBe(403);
  const feeder = await loop.apiToken('e2e-feeder', 'shift');
  const upload = await push(api, { authorization: `Bearer ${feeder}` });
  expect(upload.status).toBe(201);
  const { imageId } = (await upload.json()) as ImageUploadResponse;

  await waitFor(
    () => verdicts.some((message) => message.event.imageId === imageId),
    'the live verdict',
    30_000,
  );
  const message = verdicts.find((item) => item.event.imageId === imageId);
  expect(message?.event).toMatchObject({ plotType: PLOT, modelId: loop.modelId });
  expect(message?.seq).toBeGreaterThan(0);
}, 60_000);
