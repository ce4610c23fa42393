import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('./notices', () => ({ notices: { error: vi.fn(), warning: vi.fn(), success: vi.fn() } }));

import { api, ApiError, onUnauthorized, setCsrfToken } from './api';
import { notices } from './notices';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('the API client', () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('csrf-1');
  });
  afterEach(() => {
    fetchMock.mockReset();
    vi.mocked(notices.error).mockReset();
  });

  it('sends the CSRF token on writes and not on reads', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { ok: true })).mockResolvedValueOnce(json(200, {}));
    await api.get('/run', { query: { hidden: true, skip: undefined } });
    await api.post('/alarms/FCAL/acknowledge', {});
    const [readUrl, read] = fetchMock.mock.calls[0] as [string, RequestInit];
    const [writeUrl, write] = fetchMock.mock.calls[1] as [string, RequestInit];
    expect(readUrl).toBe('/api/run?hidden=true');
    expect((read.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
    expect(writeUrl).toBe('/api/alarms/FCAL/acknowledge');
    expect((write.headers as Record<string, string>)['x-csrf-token']).toBe('csrf-1');
  });

  it('sends the user to log in on a 401', async () => {
    const handler = vi.fn();
    onUnauthorized(handler);
    fetchMock.mockResolvedValueOnce(json(401, { statusCode: 401, error: 'Unauthorized', message: 'log in' }));
    await expect(api.get('/run')).rejects.toBeInstanceOf(ApiError);
    expect(handler).toHaveBeenCalledOnce();
    expect(notices.error).not.toHaveBeenCalled();
  });

  it("shows a 403's message naming what is missing", async () => {
    fetchMock.mockResolvedValueOnce(
      json(403, { statusCode: 403, error: 'Forbidden', message: 'viewer may not acknowledge: needs shift' }),
    );
    await expect(api.post('/alarms/FCAL/acknowledge')).rejects.toMatchObject({ status: 403 });
    expect(notices.error).toHaveBeenCalledWith('Not allowed: viewer may not acknowledge: needs shift');
  });

  it('keeps quiet when the caller shows the error itself', async () => {
    fetchMock.mockResolvedValueOnce(json(500, { statusCode: 500, error: 'Internal', message: 'boom' }));
    await expect(api.get('/run', { silent: true })).rejects.toThrow('boom');
    expect(notices.error).not.toHaveBeenCalled();
  });
});
