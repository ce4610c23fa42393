import { LIVE_SUBJECTS } from '@hydra/contracts';
import { EVENT_TRANSPORT, type EventTransport, type LiveFeed } from '@hydra/messaging';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Server } from 'socket.io';
import { AuthService } from '../auth/auth.service';
import { LiveClients } from './live-clients';
import { authenticateHandshake } from './live-handshake';
import type { LiveServer } from './live.types';

/** Where clients connect: `io(origin, { path: LIVE_PATH })`, beside the REST API's `/api`. */
export const LIVE_PATH = '/socket.io';

/**
 * The Socket.IO gateway on the app's own HTTP server: authenticates each handshake like a REST
 * request and forwards this replica's live feed (every event, not shared with other replicas).
 */
@Injectable()
export class LiveGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveGateway.name);
  private io: LiveServer | undefined;
  private feed: LiveFeed | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(EVENT_TRANSPORT) private readonly transport: EventTransport,
    private readonly auth: AuthService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const io: LiveServer = new Server(this.adapterHost.httpAdapter.getHttpServer(), {
      path: LIVE_PATH,
      serveClient: false,
    });
    const clients = new LiveClients(io, this.transport.liveFeed, () => this.feed?.position ?? 0);
    // The feed opens before the first socket is accepted, so every client has a position to start from.
    this.feed = await this.transport.liveFeed.open({ subjects: LIVE_SUBJECTS }, (event) =>
      clients.dispatch(event),
    );
    io.use((socket, next) => {
      authenticateHandshake(this.auth, socket).then(() => next(), next);
    });
    io.on('connection', (socket) => clients.connect(socket));
    this.io = io;
    this.logger.log(`live updates on ${LIVE_PATH}, from stream sequence ${this.feed.position}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.feed?.close();
    // Not `io.close()`: that closes the HTTP server too, which Nest closes next.
    this.io?.disconnectSockets(true);
    this.io?.engine.close();
  }
}
