import {
  ADMIN_PASSWORD,
  apiClient,
  type LabelerApiHarness,
  startLabelerApi,
} from './support/labeler-api.harness';

let api: LabelerApiHarness;

beforeAll(async () => {
  api = await startLabelerApi({ LOGIN_ATTEMPTS_PER_MINUTE: '5' });
});
afterAll(() => api.stop());

/** Logs in; returns a client with the session cookie and CSRF token. */
async function logIn(name: string, password: string) {
  const response = await fetch(`${api.url}/api/auth/login`, {
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

  it('answers a wrong password and an unknown user alike, and throttles repeated attempts', async () => {
    const wrong = await logIn('admin', 'not-the-password');
    const unknown = await logIn('nobody', 'not-the-password');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) statuses.push((await logIn('admin', 'still-wrong')).status);
    expect(statuses).toContain(429);
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
