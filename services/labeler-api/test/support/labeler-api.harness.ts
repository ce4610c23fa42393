import { randomUUID } from 'node:crypto';
import type { PlotPermissionDto, UserRole } from '@hydra/contracts';
import { PlotType, User } from '@hydra/db';
import { createApiToken, type ServiceTestBed, startServiceTestBed } from '@hydra/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createLabelerApiApp } from '../../src/labeler-api.app';
import { labelerApiConfigFromEnv } from '../../src/labeler-api.config';

/** A reply: status, parsed JSON body (text when not JSON), headers. */
export interface ApiReply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls labeler-api as one caller; paths start with `/api/…`. */
export interface ApiClient {
  /** The caller's user name ('' for anonymous). */
  name: string;
  userId: string;
  /** The caller's API token, for other transports (Socket.IO); absent for cookie and anonymous clients. */
  token?: string;
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiReply<T>>;
  get<T = any>(path: string): Promise<ApiReply<T>>;
  post<T = any>(path: string, body?: unknown): Promise<ApiReply<T>>;
  put<T = any>(path: string, body?: unknown): Promise<ApiReply<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<ApiReply<T>>;
  delete<T = any>(path: string): Promise<ApiReply<T>>;
}

export interface LabelerApiHarness {
  bed: ServiceTestBed;
  app: NestExpressApplication;
  url: string;
  /** Everything labeler-api publishes. */
  events: Awaited<ReturnType<ServiceTestBed['serve']>>['events'];
  /** The first admin, with a bearer token. */
  admin: ApiClient;
  anonymous: ApiClient;
  /** A new account with this role (and plot-type permissions), calling with its own API token. */
  client(role: UserRole, grants?: ({ plotType: string } & Partial<PlotPermissionDto>)[]): Promise<ApiClient>;
  /** Makes plot types directly in the database (as ingest does when it first sees one). */
  plotTypes(...names: string[]): Promise<void>;
  stop(): Promise<void>;
}

export const ADMIN_PASSWORD = 'first-admin-password';

/**
 * labeler-api in this process on its own database, stream and object store, with a first admin.
 * `before` starts what labeler-api calls (ingest, the classifier) on the same bed and answers
 * more environment (their URLs).
 */
export async function startLabelerApi(
  env: Record<string, string> = {},
  before?: (bed: ServiceTestBed) => Promise<Record<string, string>>,
): Promise<LabelerApiHarness> {
  const bed = await startServiceTestBed('labeler_api');
  const config = labelerApiConfigFromEnv({
    DATABASE_URL: bed.databaseUrl,
    HYDRA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...env,
    ...(await before?.(bed)),
  });
  const app = await createLabelerApiApp(config, bed.connections(bed.store));
  const { url, events } = await bed.serve(app, '>');
  const adminUser = await bed.db.getRepository(User).findOneByOrFail({ name: 'admin' });
  const adminToken = await createApiToken(bed.db, 'admin', 'admin');
  const admin = {
    ...apiClient(url, 'admin', adminUser.id, { authorization: `Bearer ${adminToken}` }),
    token: adminToken,
  };
  return {
    bed,
    app,
    url,
    events,
    admin,
    anonymous: apiClient(url, '', '', {}),
    client: async (role, grants = []) => {
      const name = `${role}-${randomUUID().slice(0, 8)}`;
      const user = await admin.post('/api/users', { name, role });
      if (user.status !== 201) throw new Error(`could not make ${name}: ${JSON.stringify(user.body)}`);
      for (const { plotType, ...grant } of grants) {
        const granted = await admin.put(`/api/users/${user.body.id}/permissions/${plotType}`, grant);
        if (granted.status !== 200)
          throw new Error(`could not grant ${plotType}: ${JSON.stringify(granted.body)}`);
      }
      const token = await admin.post('/api/tokens', { name: `${name}-token`, role, user: name });
      if (token.status !== 201) throw new Error(`could not make a token: ${JSON.stringify(token.body)}`);
      const client = apiClient(url, name, user.body.id, { authorization: `Bearer ${token.body.token}` });
      return { ...client, token: token.body.token as string };
    },
    plotTypes: async (...names) => {
      await bed.db.getRepository(PlotType).upsert(
        names.map((name) => ({ name })),
        ['name'],
      );
    },
    stop: () => bed.stop(),
  };
}

/** A client with fixed headers (a bearer token, or a cookie and CSRF token). */
export function apiClient(
  url: string,
  name: string,
  userId: string,
  fixed: Record<string, string>,
): ApiClient {
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { ...fixed, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: CSV, an image, …
    }
    return { status: response.status, body: parsed as any, headers: response.headers };
  };
  return {
    name,
    userId,
    request,
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body),
    put: (path, body) => request('PUT', path, body),
    patch: (path, body) => request('PATCH', path, body),
    delete: (path) => request('DELETE', path),
  };
}
