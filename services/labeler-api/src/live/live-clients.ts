import {
  ALL_PLOT_TYPES,
  LIVE_SUBJECTS,
  type LiveEventName,
  liveEventFor,
  type LiveResyncReason,
  plotTypeName,
} from '@hydra/contracts';
import type { FeedEvent, LiveFeedSource, ReplayResult } from '@hydra/messaging';
import { Logger } from '@nestjs/common';
import { z } from 'zod';
import type { LiveServer, LiveSocket } from './live.types';

/** Events a resuming client is sent at most; further back it reloads from REST. */
export const REPLAY_LIMIT = 10_000;
/** Live events held for one client while its replay runs; beyond that it reloads from REST. */
export const CATCH_UP_BUFFER_LIMIT = 10_000;

/** Every live socket is in this room; events without a plot type go to it. */
const LIVE_ROOM = 'live';
const plotTypeRoom = (plotType: string) => `plot-type:${plotType}`;

const watchList = z.array(z.union([z.literal(ALL_PLOT_TYPES), plotTypeName])).max(1000);

/** A socket that is not (yet) served by room broadcasts: replaying, or waiting for the feed. */
interface CatchUp {
  socket: LiveSocket;
  replaying: boolean;
  /** Live events that arrived during the replay, for this socket's plot types. */
  buffer: FeedEvent[];
  overflowed: boolean;
  /** The last sequence this socket has been sent; it must get nothing at or below it again. */
  watermark: number;
}

/**
 * Who gets which live event. Live sockets are served by Socket.IO room broadcasts (one room per
 * plot type, `plot-type:*` for all). A resuming socket leaves the rooms, is sent the replay and
 * then the live events buffered meanwhile above the replay's end, each sequence once, and rejoins
 * the rooms only when the feed has passed its last sent sequence: no gap, no duplicate.
 */
export class LiveClients {
  private readonly logger = new Logger('LiveClients');
  private readonly catchingUp = new Map<string, CatchUp>();

  constructor(
    private readonly io: LiveServer,
    private readonly source: LiveFeedSource,
    /** The last sequence the replica's feed has passed. */
    private readonly feedPosition: () => number,
  ) {}

  /** A newly authenticated socket: live at once, or after a replay when it says where it left off. */
  connect(socket: LiveSocket): void {
    socket.on('plot-types:watch', (plotTypes, ack) => this.watch(socket, plotTypes, ack));
    socket.on('live:resume', (since) => void this.resume(socket, since));
    socket.on('disconnect', () => this.catchingUp.delete(socket.id));
    const { since } = socket.data.handshake;
    if (since === undefined) {
      const seq = this.feedPosition();
      this.join(socket);
      socket.emit('live:ready', { seq, replayed: 0 });
    } else {
      void this.resume(socket, since);
    }
  }

  /** One event from the replica's feed, in stream order. */
  dispatch(event: FeedEvent): void {
    const name = liveEventFor(event.subject);
    if (!name) return;
    const plotType = plotTypeOf(event);
    const rooms = plotType ? [plotTypeRoom(plotType), plotTypeRoom(ALL_PLOT_TYPES)] : [LIVE_ROOM];
    emit(this.io.to(rooms), name, event);
    for (const catchUp of this.catchingUp.values()) this.offer(catchUp, event);
  }

  private offer(catchUp: CatchUp, event: FeedEvent): void {
    if (watches(catchUp.socket, event)) {
      if (catchUp.replaying) {
        catchUp.buffer.push(event);
        if (catchUp.buffer.length > CATCH_UP_BUFFER_LIMIT) {
          catchUp.overflowed = true;
          catchUp.buffer = [];
        }
      } else {
        this.send(catchUp, event);
      }
    }
    if (!catchUp.replaying) this.joinWhenCaughtUp(catchUp);
  }

  /** Replays what the socket missed after `since`, then the buffered live events, then live. */
  private async resume(socket: LiveSocket, since: number): Promise<void> {
    if (!Number.isSafeInteger(since) || since < 0) return;
    if (this.catchingUp.get(socket.id)?.replaying) return;
    this.leave(socket);
    const registeredAt = this.feedPosition();
    const catchUp: CatchUp = { socket, replaying: true, buffer: [], overflowed: false, watermark: since };
    this.catchingUp.set(socket.id, catchUp);
    let replay: ReplayResult | { kind: 'failed'; message: string };
    try {
      replay = await this.source.replay(LIVE_SUBJECTS, since, REPLAY_LIMIT);
    } catch (error) {
      this.logger.warn(`replay after ${since} failed: ${(error as Error).message}`);
      replay = { kind: 'failed', message: `the replay failed: ${(error as Error).message}` };
    }
    if (socket.disconnected || this.catchingUp.get(socket.id) !== catchUp) return;
    // From here on nothing awaits, so no feed event can come in between.
    catchUp.replaying = false;
    if (catchUp.overflowed) {
      catchUp.watermark = this.feedPosition();
      this.resync(socket, 'overflow', 'too many live events arrived during the replay', catchUp.watermark);
    } else if (replay.kind === 'events') {
      const replayed = replay.events.filter((event) => watches(socket, event));
      for (const event of replayed) this.send(catchUp, event);
      catchUp.watermark = Math.max(catchUp.watermark, replay.upTo);
      for (const event of catchUp.buffer) this.send(catchUp, event);
      socket.emit('live:ready', { seq: catchUp.watermark, replayed: replayed.length });
    } else {
      // Every live event after `upTo` is in the buffer: the client reloads up to there, then gets them.
      catchUp.watermark = replay.kind === 'gap' ? replay.upTo : registeredAt;
      const reason = replay.kind === 'gap' ? replay.gap : 'unavailable';
      this.resync(socket, reason, replay.message, catchUp.watermark);
      for (const event of catchUp.buffer) this.send(catchUp, event);
    }
    catchUp.buffer = [];
    this.joinWhenCaughtUp(catchUp);
  }

  private resync(socket: LiveSocket, reason: LiveResyncReason, message: string, seq: number): void {
    socket.emit('live:resync', { reason, message, seq });
  }

  /** Sends an event above the socket's watermark; anything at or below it was sent already. */
  private send(catchUp: CatchUp, event: FeedEvent): void {
    if (event.sequence <= catchUp.watermark) return;
    const name = liveEventFor(event.subject);
    if (name) emit(catchUp.socket, name, event);
    catchUp.watermark = event.sequence;
  }

  /** Room broadcasts take over once every later feed event is new to this socket. */
  private joinWhenCaughtUp(catchUp: CatchUp): void {
    if (this.feedPosition() < catchUp.watermark) return;
    this.catchingUp.delete(catchUp.socket.id);
    this.join(catchUp.socket);
  }

  private watch(socket: LiveSocket, plotTypes: unknown, ack?: (watching: string[]) => void): void {
    const parsed = watchList.safeParse(plotTypes);
    if (parsed.success) {
      const live = !this.catchingUp.has(socket.id);
      if (live) this.leave(socket);
      socket.data.plotTypes = [...new Set(parsed.data)];
      if (live) this.join(socket);
    }
    if (typeof ack === 'function') ack(socket.data.plotTypes);
  }

  private join(socket: LiveSocket): void {
    void socket.join([LIVE_ROOM, ...socket.data.plotTypes.map(plotTypeRoom)]);
  }

  private leave(socket: LiveSocket): void {
    for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
  }
}

function plotTypeOf(event: FeedEvent): string | null {
  const { plotType } = event.payload as { plotType?: unknown };
  return typeof plotType === 'string' ? plotType : null;
}

/** Events without a plot type (heat maps, labels, training progress) go to every client. */
function watches(socket: LiveSocket, event: FeedEvent): boolean {
  const plotType = plotTypeOf(event);
  const watching = socket.data.plotTypes;
  return plotType === null || watching.includes(ALL_PLOT_TYPES) || watching.includes(plotType);
}

/** The feed validated the payload against its subject's schema, which is the event's type. */
function emit(target: { emit: LiveServer['emit'] }, name: LiveEventName, event: FeedEvent): void {
  (target.emit as (name: string, message: unknown) => boolean)(name, {
    seq: event.sequence,
    event: event.payload,
  });
}
