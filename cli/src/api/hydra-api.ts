/** A failure the user can act on: the message says what to do; the exit code is 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export interface ApiTarget {
  /** labeler-api's base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  /** An API token (`hydra_…`), or a user name and password to log in with. */
  token?: string;
  user?: string;
  password?: string;
}

/** labeler-api as the CLI sees it: JSON in and out, authenticated with a token or a log-in. */
export class HydraApi {
  private session: { cookie: string; csrfToken: string } | null = null;

  constructor(private readonly target: ApiTarget) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  /** Sends raw bytes (an image) with the metadata in the query. */
  upload<T>(path: string, bytes: Buffer, contentType: string): Promise<T> {
    return this.request<T>('POST', path, bytes, contentType);
  }

  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const headers = await this.credentials(method);
    const response = await this.send(`${this.target.url}/api${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined && { 'content-type': contentType }) },
      body:
        body === undefined ? undefined : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!response.ok) throw new CliError(explain(response.status, parsed, path));
    return parsed as T;
  }

  private async credentials(method: string): Promise<Record<string, string>> {
    if (this.target.token) return { authorization: `Bearer ${this.target.token}` };
    if (!this.target.user || !this.target.password)
      throw new CliError(
        'no credentials: set HYDRA_TOKEN (or --token) to an API token an admin made with `hydra token create`, ' +
          'or HYDRA_USER and HYDRA_PASSWORD to log in',
      );
    this.session ??= await this.logIn(this.target.user, this.target.password);
    return {
      cookie: this.session.cookie,
      ...(method !== 'GET' && { 'x-csrf-token': this.session.csrfToken }),
    };
  }

  private async logIn(name: string, password: string) {
    const response = await this.send(`${this.target.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password }),
    });
    if (!response.ok)
      throw new CliError(
        `log-in as ${name} failed: ${explain(response.status, safeJson(await response.text()), '/auth/login')}`,
      );
    const cookie = response.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    return { cookie, csrfToken: ((await response.json()) as { csrfToken: string }).csrfToken };
  }

  private async send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (error) {
      throw new CliError(
        `no Hydra answers at ${this.target.url} (${(error as Error).cause ?? (error as Error).message}): start one with \`npm start\`, or set HYDRA_URL / --url`,
      );
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function explain(status: number, body: unknown, path: string): string {
  const message = (body as { message?: unknown } | undefined)?.message ?? body;
  const detail = typeof message === 'string' ? message : JSON.stringify(message);
  if (status === 401)
    return `${detail} (the API did not accept the credentials: check HYDRA_TOKEN / --token)`;
  if (status === 404) return `${detail ?? `${path} not found`}`;
  return `${status}: ${detail}`;
}
