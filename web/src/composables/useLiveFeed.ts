import {
  ALL_PLOT_TYPES,
  type ClientToServerEvents,
  type LiveEventName,
  type LiveEvents,
  type LiveMessage,
  type ServerToClientEvents,
} from '@hydra/contracts';
import { io, type Socket } from 'socket.io-client';
import { getCurrentScope, onScopeDispose, readonly, ref } from 'vue';
import { notices } from './notices';
import { LiveSequence } from './live-sequence';

/** `connecting`: the first connection; `catching-up`: replaying what was missed; `lost`: no connection. */
export type LiveStatus = 'idle' | 'connecting' | 'catching-up' | 'live' | 'lost';

type Handler<E extends LiveEventName> = (event: LiveEvents[E], seq: number) => void;
type AnyHandler = (event: never, seq: number) => void;

/** How long a refused handshake (server busy, 503) waits before trying again. */
const RETRY_AFTER_MS = 3000;

// One socket for the whole app: every page shares it and subscribes to the events it needs.
const status = ref<LiveStatus>('idle');
const lastSeq = ref<number | null>(null);
const handlers = new Map<LiveEventName, Set<AnyHandler>>();
const reloadHandlers = new Set<() => void>();
let socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
let sequence = new LiveSequence();
let unauthorized: () => void = () => undefined;

const LIVE_EVENTS: LiveEventName[] = [
  'image:classified',
  'image:explained',
  'alarm:changed',
  'training:progress',
  'model:trained',
  'model:promoted',
  'label:added',
];

function dispatch(name: LiveEventName, message: LiveMessage<unknown>): void {
  if (!sequence.accept(message.seq)) return;
  lastSeq.value = message.seq;
  for (const handler of handlers.get(name) ?? [])
    (handler as Handler<LiveEventName>)(message.event as never, message.seq);
}

function reload(): void {
  for (const handler of reloadHandlers) handler();
}

/**
 * Opens the app's live connection with the session cookie (same origin). On every reconnect the
 * handshake carries `since` = the last sequence seen, so the server replays what was missed; a
 * `live:resync` (or a fresh start) asks every page to reload its REST snapshot.
 */
export function startLiveFeed(options: { plotTypes?: string[]; onUnauthorized?: () => void } = {}): void {
  if (socket) return;
  unauthorized = options.onUnauthorized ?? (() => undefined);
  sequence = new LiveSequence();
  const plotTypes = options.plotTypes ?? [ALL_PLOT_TYPES];
  status.value = 'connecting';
  const current: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    path: '/socket.io',
    withCredentials: true,
    auth: (send) => send({ ...sequence.handshake(), plotTypes }),
  });
  socket = current;
  current.on('connect', () => {
    status.value = 'catching-up';
  });
  current.on('disconnect', () => {
    status.value = 'lost';
  });
  current.on('connect_error', (error: Error & { data?: { status?: number; message?: string } }) => {
    status.value = 'lost';
    const refusedWith = error.data?.status;
    if (refusedWith === 401) {
      stopLiveFeed();
      unauthorized();
    } else if (refusedWith === 400 || refusedWith === 403) {
      notices.error(`Live updates refused: ${error.data?.message ?? error.message}`);
    } else if (refusedWith !== undefined) {
      // A refusal by the server's middleware is not retried by socket.io-client itself.
      setTimeout(() => socket === current && current.connect(), RETRY_AFTER_MS);
    }
  });
  current.on('live:ready', (ready) => {
    const mustReload = sequence.ready(ready);
    lastSeq.value = sequence.lastSeq;
    status.value = 'live';
    if (mustReload) reload();
  });
  current.on('live:resync', (resync) => {
    sequence.resync(resync);
    lastSeq.value = sequence.lastSeq;
    status.value = 'live';
    reload();
  });
  for (const name of LIVE_EVENTS)
    (current.on as (name: string, listener: (message: LiveMessage<unknown>) => void) => void)(
      name,
      (message) => dispatch(name, message),
    );
}

/** Closes the live connection (log-out). */
export function stopLiveFeed(): void {
  socket?.removeAllListeners();
  socket?.disconnect();
  socket = null;
  status.value = 'idle';
}

/** Live events for a page or store; subscriptions made in a component or store end with it. */
export function useLiveFeed() {
  function on<E extends LiveEventName>(name: E, handler: Handler<E>): () => void {
    const set = handlers.get(name) ?? new Set<AnyHandler>();
    handlers.set(name, set);
    set.add(handler as AnyHandler);
    const off = () => set.delete(handler as AnyHandler);
    if (getCurrentScope()) onScopeDispose(off);
    return off;
  }
  /** Called when the live feed cannot replay what was missed: reload from REST. */
  function onReload(handler: () => void): () => void {
    reloadHandlers.add(handler);
    const off = () => reloadHandlers.delete(handler);
    if (getCurrentScope()) onScopeDispose(off);
    return off;
  }
  return { status: readonly(status), lastSeq: readonly(lastSeq), on, onReload };
}
