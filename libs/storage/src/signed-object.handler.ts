import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { InvalidObjectKeyError } from './object-key';
import type { LocalObjectStore } from './local-object-store';

/**
 * Serves the URLs a LocalObjectStore signs, mounted where its `publicBaseUrl` points:
 * `GET <mount>/<key>?expires=…&signature=…`. Works as plain Node or Express middleware.
 */
export function serveSignedObjects(store: LocalObjectStore) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://local');
    const key = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
    const expires = Number(url.searchParams.get('expires'));
    const signature = url.searchParams.get('signature') ?? '';
    const fail = (status: number, message: string) => {
      response.writeHead(status, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({ statusCode: status, error: status === 403 ? 'Forbidden' : 'Not Found', message }),
      );
    };
    try {
      if (!store.verifySignature(key, expires, signature))
        return fail(403, 'the link is invalid or has expired');
      const info = await store.stat(key);
      if (!info) return fail(404, `no object "${key}"`);
      response.writeHead(200, {
        'Content-Type': info.contentType ?? 'application/octet-stream',
        'Content-Length': info.size,
        ETag: `"${info.etag}"`,
      });
      await pipeline(await store.getStream(key), response);
    } catch (error) {
      if (error instanceof InvalidObjectKeyError) return fail(403, error.message);
      throw error;
    }
  };
}
