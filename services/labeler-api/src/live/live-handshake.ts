import { ALL_PLOT_TYPES, liveHandshake } from '@hydra/contracts';
import { ForbiddenException } from '@nestjs/common';
import type { ExtendedError } from 'socket.io';
import { z } from 'zod';
import type { AuthService } from '../auth/auth.service';
import type { LiveSocket } from './live.types';

/** A refused handshake; the client's `connect_error` carries the message and `data.status`. */
function refusal(status: 400 | 401 | 403 | 503, message: string): ExtendedError {
  const error: ExtendedError = new Error(message);
  error.data = { status, message };
  return error;
}

/**
 * Authenticates a Socket.IO handshake exactly as a REST request (session cookie, trusted proxy
 * header, or bearer token), a machine's `auth.token` counting as `Authorization: Bearer`. Every
 * authenticated role may watch every plot type. Checked once per connection: a revoked session
 * or token keeps its open socket until it reconnects.
 */
export async function authenticateHandshake(auth: AuthService, socket: LiveSocket): Promise<void> {
  const parsed = liveHandshake.safeParse(socket.handshake.auth ?? {});
  if (!parsed.success) throw refusal(400, `invalid handshake auth: ${z.prettifyError(parsed.error)}`);
  const { token } = parsed.data;
  const headers = { ...socket.request.headers, ...(token && { authorization: `Bearer ${token}` }) };
  try {
    const principal = await auth.authenticate({
      headers,
      remoteAddress: socket.request.socket.remoteAddress,
    });
    if (!principal)
      throw refusal(
        401,
        'authentication required: log in for a session cookie, or pass an API token as auth.token or an Authorization: Bearer header',
      );
    socket.data.principal = principal;
    socket.data.handshake = parsed.data;
    socket.data.plotTypes = parsed.data.plotTypes ?? [ALL_PLOT_TYPES];
  } catch (error) {
    if (error instanceof ForbiddenException) throw refusal(403, error.message);
    if ((error as ExtendedError).data) throw error;
    // The database is unwell; the client retries, as it does after any failed connection.
    throw refusal(503, `authentication is unavailable: ${(error as Error).message}`);
  }
}
