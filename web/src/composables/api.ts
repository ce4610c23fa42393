import type { HttpErrorBody } from '@hydra/contracts';
import { notices } from './notices';

/** An HTTP error from the API, with the server's message (the one error shape, `HttpErrorBody`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  /** Query string values; undefined ones are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /** Let the caller handle a 401 (the log-in page, the auth guard) instead of going to log-in. */
  allowUnauthorized?: boolean;
  /** No toast for an error: the caller shows it where it belongs. */
  silent?: boolean;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let csrfToken: string | null = null;
let unauthorizedHandler: () => void = () => undefined;

/** The token the session's log-in (or `GET /api/auth/me`) handed out; sent as `X-CSRF-Token` on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** What to do when the session is gone (the router sends the user to log in). */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

/** Tells the app the session is gone (a 401 from REST or from the live connection). */
export function sessionExpired(): void {
  unauthorizedHandler();
}

/** `/api` + path + query, e.g. `apiUrl('/images/3f2a/file')`. */
export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) params.set(key, String(value));
  const search = params.size > 0 ? `?${params}` : '';
  return `/api${path}${search}`;
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<HttpErrorBody>;
    if (typeof body.message === 'string') return body.message;
    if (Array.isArray(body.message)) return (body.message as string[]).join('; ');
  } catch {
    // Not JSON (a proxy's error page): the status line says enough.
  }
  return `${response.status} ${response.statusText || 'error'}`.trim();
}

async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    const message = `the Hydra server cannot be reached (${(error as Error).message})`;
    if (!options.silent) notices.error(message);
    throw new ApiError(0, message);
  }
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('content-type') ?? '';
    return (type.includes('json') ? await response.json() : await response.text()) as T;
  }
  const error = new ApiError(response.status, await errorMessage(response));
  if (response.status === 401 && !options.allowUnauthorized) sessionExpired();
  else if (!options.silent)
    notices.error(response.status === 403 ? `Not allowed: ${error.message}` : error.message);
  throw error;
}

/** The REST API under `/api`, typed at each call by a contracts type: `api.get<RunSnapshotDto>('/run')`. */
export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, body ?? {}, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, body ?? {}, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, body ?? {}, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};
