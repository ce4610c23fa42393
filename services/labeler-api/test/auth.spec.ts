import { UserSession } from '@hydra/db';
import {
  ADMIN_PASSWORD,
  apiClient,
  type LabelerApiHarness,
  startLabelerApi,
} from './support/labeler-api.harness';

let api: LabelerApiHarness;

beforeAll(async () => {
  api = await startLabelerApi({ LOGIN_ATTEMPTS_PER_MINUTE: '1000' });
});
afterAll(() => api.stop());

/** Logs in; returns a client with the session cookie and CSRF token. */
async function logIn(name: string, password: string, url = api.url) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const body = (await response.json()) as { csrfToken: string };
  return {
    status: response.status,
    cookie,
    csrfToken: body.csrfToken,
    setCookie: response.headers.getSetCookie(),
  };
}

describe('log-in with a session cookie', () => {
  it('opens an httpOnly SameSite=Lax session for the first admin', async () => {
    const session = await logIn('admin', ADMIN_PASSWORD);
    expect(session.status).toBe(200);
    expect(session.setCookie.find((line) => line.startsWith('hydra_session='))).toMatch(
      /HttpOnly.*SameSite=Lax|SameSite=Lax.*HttpOnly/,
    );
    const client = apiClient(api.url, 'admin', '', { cookie: session.cookie });
    const me = await client.get('/api/auth/me');
    expect(me.body).toMatchObject({
      name: 'admin',
      role: 'admin',
      via: 'session',
      csrfToken: session.csrfToken,
    });
  });

  it('refuses a cookie-authenticated write without the CSRF token, and accepts it with', async () => {
    const session = await logIn('admin', ADMIN_PASSWORD);
    const client = apiClient(api.url, 'admin', '', { cookie: session.cookie });
    const without = await client.post('/api/users', { name: 'csrf-victim', role: 'viewer' });
    expect(without.status).toBe(403);
    expect(without.body.message).toMatch(/x-csrf-token/);
    const withToken = await client.request(
      'POST',
      '/api/users',
      { name: 'csrf-ok', role: 'viewer' },
      { 'x-csrf-token': session.csrfToken },
    );
    expect(withToken.status).toBe(201);
  });

  it('ends the session at log-out', async () => {
    const session = await logIn('admin', ADMIN_PASSWORD);
    const client = apiClient(api.url, 'admin', '', {
      cookie: session.cookie,
      'x-csrf-token': session.csrfToken,
    });
    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect((await client.get('/api/auth/me')).status).toBe(401);
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await logIn('admin', 'not-the-password');
    const unknown = await logIn('nobody', 'not-the-password');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
  });

  it('throttles repeated attempts from one address', async () => {
    const throttled = await startLabelerApi({ LOGIN_ATTEMPTS_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt++)
        statuses.push((await logIn('admin', 'still-wrong', throttled.url)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect((await logIn('admin', ADMIN_PASSWORD, throttled.url)).status).toBe(429);
    } finally {
      await throttled.stop();
    }
  });
});

describe('API tokens', () => {
  it('act with their role and stop working once revoked', async () => {
    const created = await api.admin.post('/api/tokens', { name: 'daq', role: 'shift' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^hydra_/);
    const daq = apiClient(api.url, 'daq', '', { authorization: `Bearer ${created.body.token}` });
    expect((await daq.get('/api/auth/me')).body).toMatchObject({ name: 'daq', role: 'shift', via: 'token' });
    const listed = await api.admin.get('/api/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    expect((await api.admin.delete(`/api/tokens/${created.body.id}`)).status).toBe(200);
    expect((await daq.get('/api/auth/me')).status).toBe(401);
  });
});

describe('denials', () => {
  it('answers 401 to the anonymous and 403 naming the role to the too-weak', async () => {
    expect((await api.anonymous.get('/api/users')).status).toBe(401);
    const viewer = await api.client('viewer');
    const denied = await viewer.get('/api/users');
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/admin role/);
  });
});

describe('sessions end', () => {
  it('when they expire', async () => {
    await api.admin.post('/api/users', { name: 'short-lived', role: 'viewer', password: 'a-long-password' });
    const session = await logIn('short-lived', 'a-long-password');
    const client = apiClient(api.url, 'short-lived', '', { cookie: session.cookie });
    expect((await client.get('/api/auth/me')).status).toBe(200);
    const user = (await api.admin.get('/api/users')).body.find(
      (entry: { name: string }) => entry.name === 'short-lived',
    );
    await api.bed.db
      .getRepository(UserSession)
      .update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await client.get('/api/auth/me')).status).toBe(401);
  });

  it('when an admin revokes them or disables the account, and when the password changes', async () => {
    const created = await api.admin.post('/api/users', {
      name: 'lost-laptop',
      role: 'labeler',
      password: 'first-password',
    });
    const first = await logIn('lost-laptop', 'first-password');
    const second = await logIn('lost-laptop', 'first-password');
    const firstClient = apiClient(api.url, 'lost-laptop', '', {
      cookie: first.cookie,
      'x-csrf-token': first.csrfToken,
    });
    const secondClient = apiClient(api.url, 'lost-laptop', '', {
      cookie: second.cookie,
      'x-csrf-token': second.csrfToken,
    });
    // A password change ends every other session of the account, not the one that changed it.
    const changed = await firstClient.put('/api/auth/password', {
      currentPassword: 'first-password',
      newPassword: 'second-password',
    });
    expect(changed.status).toBe(204);
    expect((await secondClient.get('/api/auth/me')).status).toBe(401);
    expect((await firstClient.get('/api/auth/me')).status).toBe(200);
    expect((await logIn('lost-laptop', 'first-password')).status).toBe(401);
    // An admin ends them all at once.
    expect((await api.admin.post(`/api/users/${created.body.id}/sessions/revoke`)).body).toEqual({
      revoked: 1,
    });
    expect((await firstClient.get('/api/auth/me')).status).toBe(401);
    // A disabled account can neither log in nor use its tokens.
    const token = await api.admin.post('/api/tokens', {
      name: 'lost-laptop-feeder',
      role: 'labeler',
      user: 'lost-laptop',
    });
    const feeder = apiClient(api.url, 'lost-laptop', '', { authorization: `Bearer ${token.body.token}` });
    expect((await feeder.get('/api/auth/me')).status).toBe(200);
    expect((await api.admin.patch(`/api/users/${created.body.id}`, { disabled: true })).status).toBe(200);
    expect((await logIn('lost-laptop', 'second-password')).status).toBe(401);
    expect((await feeder.get('/api/auth/me')).status).toBe(401);
  });

  it('keeps an admin from demoting or disabling themself', async () => {
    const me = await api.admin.get('/api/auth/me');
    const demoted = await api.admin.patch(`/api/users/${me.body.id}`, { role: 'viewer' });
    expect(demoted.status).toBe(400);
    expect((await api.admin.get('/api/auth/me')).body.role).toBe('admin');
  });
});

describe('tokens that are not ours', () => {
  it('are refused: unknown, malformed, or expired', async () => {
    const expired = await api.admin.post('/api/tokens', {
      name: 'soon-gone',
      role: 'viewer',
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    const client = apiClient(api.url, 'soon-gone', '', { authorization: `Bearer ${expired.body.token}` });
    expect((await client.get('/api/auth/me')).status).toBe(200);
    await api.bed.db.query(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      expired.body.id,
    ]);
    for (const header of [
      `Bearer ${expired.body.token}`,
      'Bearer hydra_made-up',
      'Bearer',
      'Basic YWRtaW46YWRtaW4=',
    ])
      expect((await apiClient(api.url, '', '', { authorization: header }).get('/api/auth/me')).status).toBe(
        401,
      );
  });
});

describe('a log-in at the web server (trusted proxy)', () => {
  let proxied: LabelerApiHarness;
  beforeAll(async () => {
    // The test calls from 127.0.0.1; a second instance trusts only another address.
    proxied = await startLabelerApi({ TRUSTED_PROXY_HEADER: 'X-Remote-User', TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(() => proxied.stop());

  it('takes the user from the header of a configured proxy, as a viewer the first time', async () => {
    const client = apiClient(proxied.url, 'cue-user', '', { 'x-remote-user': 'cue-user' });
    const me = await client.get('/api/auth/me');
    expect(me.body).toMatchObject({ name: 'cue-user', role: 'viewer', via: 'proxy' });
    // Writes need the double-submit CSRF cookie that /auth/me set.
    expect(
      (await client.put('/api/auth/password', { currentPassword: 'x', newPassword: 'yyyyyyyyyyyy' })).status,
    ).toBe(403);
  });

  it('refuses the header from an address that is not a configured proxy', async () => {
    const elsewhere = await startLabelerApi({
      TRUSTED_PROXY_HEADER: 'X-Remote-User',
      TRUSTED_PROXIES: '10.1.2.3',
    });
    try {
      const spoofed = await apiClient(elsewhere.url, '', '', { 'x-remote-user': 'admin' }).get(
        '/api/auth/me',
      );
      expect(spoofed.status).toBe(403);
      expect(spoofed.body.message).toMatch(/only from a configured trusted proxy/);
    } finally {
      await elsewhere.stop();
    }
  });
});
