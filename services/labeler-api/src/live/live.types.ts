import type { ClientToServerEvents, LiveHandshake, ServerToClientEvents } from '@hydra/contracts';
import type { Server, Socket } from 'socket.io';
import type { Principal } from '../auth/principal';

/** What the gateway keeps on each socket. */
export interface LiveSocketData {
  principal: Principal;
  handshake: LiveHandshake;
  /** Plot types the client watches; `*` for all. */
  plotTypes: string[];
}

/** labeler-api's Socket.IO server, typed by the contract's event maps. */
export type LiveServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  LiveSocketData
>;
export type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  LiveSocketData
>;
