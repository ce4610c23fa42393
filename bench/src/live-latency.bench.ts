/**
 * Live updates end to end, each service in its own process on PostgreSQL, NATS and S3 (a local
 * Ceph gateway): a file lands in the watched folder → the `image:classified` Socket.IO event at
 * each of many connected clients, at a paced rate.
 *   npm run bench:live -- --rate 10 --clients 20 --duration 60
 */
import type {
  ClientToServerEvents,
  ImageClassifiedEvent,
  LiveMessage,
  ServerToClientEvents,
} from '@hydra/contracts';
import { waitFor } from '@hydra/messaging/testing';
import { startHydraProcesses } from '@hydra/testing';
import { Command } from 'commander';
import { io, type Socket } from 'socket.io-client';
import { summarize } from './stats';
import { simulatedPlots, WatchedFolder, type WrittenPlot } from './watched-folder';

const options = new Command('live-latency-bench')
  .option('--rate <n>', 'images/s written into the watched folder', Number, 10)
  .option('--clients <n>', 'Socket.IO clients connected to labeler-api', Number, 20)
  .option('--duration <s>', 'seconds the paced run lasts', Number, 60)
  .option('--store <kind>', 's3 (a local Ceph gateway) or local (a folder, as on one machine)', 's3')
  .parse()
  .opts<{ rate: number; clients: number; duration: number; store: 's3' | 'local' }>();

const PLOT = 'FCAL_occupancy';

/** A connected client and when (`performance.now()`) each image's verdict reached it. */
interface LiveClient {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  receivedAt: Map<string, number>;
}

async function connectClient(url: string, token: string): Promise<LiveClient> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    auth: { token, plotTypes: [PLOT] },
    transports: ['websocket'],
    forceNew: true,
  });
  const receivedAt = new Map<string, number>();
  socket.on('image:classified', (message: LiveMessage<ImageClassifiedEvent>) =>
    receivedAt.set(message.event.imageId, performance.now()),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('live:ready', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, receivedAt };
}

async function main() {
  console.log(
    `starting a database, the ${options.store} object store, ingest, classifier and labeler-api processes…`,
  );
  const loop = await startHydraProcesses({
    scripts: {
      ingest: require.resolve('@hydra/ingest/dist/main.js'),
      classifier: require.resolve('@hydra/classifier/dist/main.js'),
      'labeler-api': require.resolve('@hydra/labeler-api/dist/main.js'),
    },
    plotType: PLOT,
    thresholds: { Good: 0.5, Bad: 0.5, NoData: 0.5 },
    store: options.store,
  });
  const clients: LiveClient[] = [];
  try {
    const url = loop.services['labeler-api']?.url as string;
    const token = await loop.apiToken('bench-viewer', 'viewer');
    for (let index = 0; index < options.clients; index++) clients.push(await connectClient(url, token));
    const folder = new WatchedFolder(loop.watchDir, PLOT);
    const images = await simulatedPlots(PLOT, Math.round(options.rate * options.duration));
    console.log(`paced run: ${options.rate} images/s for ${options.duration} s, ${clients.length} clients`);
    const written: WrittenPlot[] = [];
    const start = performance.now();
    for (const [position, bytes] of images.entries()) {
      const due = start + (position * 1000) / options.rate;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      written.push(await folder.write(bytes));
    }
    const imageIdOf = () =>
      new Map(loop.events.of('image.new').map((event) => [event.sha256, event.imageId as string]));
    const everywhere = () => {
      const ids = imageIdOf();
      return written.every(({ sha256 }) => {
        const imageId = ids.get(sha256);
        return imageId !== undefined && clients.every((client) => client.receivedAt.has(imageId));
      });
    };
    // A rate the machine cannot keep up with is reported with what arrived after a grace period.
    await waitFor(everywhere, 'every verdict at every client', 60_000).catch(() => undefined);

    const ids = imageIdOf();
    const verdictAt = new Map(
      loop.events.events
        .filter((event) => event.subject === 'image.classified')
        .map((event) => [event.data.imageId as string, event.receivedAt]),
    );
    const perClient: number[] = [];
    const lastClient: number[] = [];
    const verdict: number[] = [];
    const gateway: number[] = [];
    let missing = 0;
    for (const { sha256, writtenAt } of written) {
      const imageId = ids.get(sha256);
      const times = imageId ? clients.map((client) => client.receivedAt.get(imageId)) : [];
      const arrived = times.filter((time): time is number => time !== undefined);
      missing += clients.length - arrived.length;
      if (arrived.length === 0) continue;
      perClient.push(...arrived.map((time) => time - writtenAt));
      lastClient.push(Math.max(...arrived) - writtenAt);
      const judgedAt = imageId ? verdictAt.get(imageId) : undefined;
      if (judgedAt !== undefined) {
        verdict.push(judgedAt - writtenAt);
        gateway.push(...arrived.map((time) => time - judgedAt));
      }
    }
    const rows = [
      ['file lands → image.classified on NATS', summarize(verdict)],
      ['file lands → Socket.IO event, each client', summarize(perClient)],
      ['file lands → Socket.IO event, last of the clients', summarize(lastClient)],
      ['image.classified on NATS → Socket.IO event, each client', summarize(gateway)],
    ] as const;
    console.log(
      `\n${written.length} images at ${options.rate}/s, ${clients.length} clients, ${missing} deliveries missing after 60 s (ms)`,
    );
    console.log('| path | p50 | p99 | max |');
    console.log('| --- | --- | --- | --- |');
    for (const [path, stats] of rows)
      console.log(
        `| ${path} | ${stats.p50.toFixed(1)} | ${stats.p99.toFixed(1)} | ${stats.max.toFixed(1)} |`,
      );
  } finally {
    for (const client of clients) client.socket.disconnect();
    await loop.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
