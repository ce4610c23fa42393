import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from './data-source';
import { databaseConnection } from './database-tls';
import { TEST_DATABASE_SERVER_URL } from './testing/test-database';

const URL = 'postgres://hydra:p%40ss@db.example.org:5432/hydra';
const PEM = (what: string) => `-----BEGIN ${what}-----\nMIIB\n-----END ${what}-----\n`;
let folder: string;
let ca: string;
let cert: string;
let key: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'hydra-database-tls-'));
  const file = (name: string, text: string) => {
    const path = join(folder, name);
    writeFileSync(path, text);
    return path;
  };
  ca = file('ca.pem', PEM('CERTIFICATE'));
  cert = file('client.pem', PEM('CERTIFICATE'));
  key = file('client.key', PEM('PRIVATE KEY'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('PostgreSQL TLS from the environment', () => {
  it('leaves the URL and the driver alone when nothing is set', () => {
    expect(databaseConnection(URL, {})).toEqual({ url: URL });
    expect(databaseConnection(URL, { DATABASE_SSL_MODE: '' })).toEqual({ url: URL });
  });

  it('turns TLS off with disable', () => {
    expect(databaseConnection(URL, { DATABASE_SSL_MODE: 'disable' })).toEqual({ url: URL, ssl: false });
  });

  it('encrypts without checking the server with require and no CA', () => {
    expect(databaseConnection(URL, { DATABASE_SSL_MODE: 'require' }).ssl).toEqual({
      rejectUnauthorized: false,
    });
  });

  it('checks the chain but not the host name with verify-ca, or require with a CA', () => {
    for (const mode of ['verify-ca', 'require']) {
      const { ssl } = databaseConnection(URL, { DATABASE_SSL_MODE: mode, DATABASE_SSL_CA_FILE: ca });
      expect(ssl).toEqual({ ca: PEM('CERTIFICATE'), checkServerIdentity: expect.any(Function) });
      expect(ssl && ssl.checkServerIdentity?.('db.example.org', {} as never)).toBeUndefined();
    }
  });

  it('checks chain and host name with verify-full, and presents the client certificate', () => {
    const env = {
      DATABASE_SSL_MODE: 'verify-full',
      DATABASE_SSL_CA_FILE: ca,
      DATABASE_SSL_CERT_FILE: cert,
      DATABASE_SSL_KEY_FILE: key,
    };
    expect(databaseConnection(URL, env).ssl).toEqual({
      ca: PEM('CERTIFICATE'),
      cert: PEM('CERTIFICATE'),
      key: PEM('PRIVATE KEY'),
    });
    expect(databaseConnection(URL, { DATABASE_SSL_MODE: 'verify-full' }).ssl).toEqual({});
  });

  it('honours sslmode and sslrootcert in DATABASE_URL, and takes them out of the URL the driver sees', () => {
    const connection = databaseConnection(
      `${URL}?sslmode=verify-ca&sslrootcert=${ca}&application_name=hydra`,
      {},
    );
    expect(connection).toEqual({
      url: `${URL}?application_name=hydra`,
      ssl: { ca: PEM('CERTIFICATE'), checkServerIdentity: expect.any(Function) },
    });
  });

  it('refuses a variable that contradicts the URL', () => {
    expect(() => databaseConnection(`${URL}?sslmode=require`, { DATABASE_SSL_MODE: 'verify-full' })).toThrow(
      /DATABASE_SSL_MODE: "verify-full" contradicts sslmode=require in DATABASE_URL/,
    );
  });

  it('refuses modes the driver cannot honour and unknown ones', () => {
    expect(() => databaseConnection(URL, { DATABASE_SSL_MODE: 'prefer' })).toThrow(
      /DATABASE_SSL_MODE: prefer .* is not supported by the Node driver/,
    );
    expect(() => databaseConnection(`${URL}?sslmode=no-verify`, {})).toThrow(
      /sslmode in DATABASE_URL: must be one of disable, require, verify-ca, verify-full \(got "no-verify"\)/,
    );
  });

  it('refuses files without a mode, files with TLS disabled, and verify-ca without a CA', () => {
    expect(() => databaseConnection(URL, { DATABASE_SSL_CA_FILE: ca })).toThrow(
      /DATABASE_SSL_MODE: is not set \(DATABASE_SSL_CA_FILE is\)/,
    );
    expect(() => databaseConnection(URL, { DATABASE_SSL_MODE: 'disable', DATABASE_SSL_CA_FILE: ca })).toThrow(
      /DATABASE_SSL_CA_FILE: is set, but TLS is disabled/,
    );
    expect(() => databaseConnection(URL, { DATABASE_SSL_MODE: 'verify-ca' })).toThrow(
      /DATABASE_SSL_CA_FILE: is not set; verify-ca checks/,
    );
  });

  it('refuses a client certificate without its key, and files it cannot read or that are not PEM', () => {
    expect(() =>
      databaseConnection(URL, { DATABASE_SSL_MODE: 'require', DATABASE_SSL_CERT_FILE: cert }),
    ).toThrow(/DATABASE_SSL_KEY_FILE: is not set; a client certificate needs both/);
    const missing = join(folder, 'absent.pem');
    expect(() =>
      databaseConnection(URL, { DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: missing }),
    ).toThrow(`DATABASE_SSL_CA_FILE: cannot read ${missing} (ENOENT)`);
    const notPem = join(folder, 'ca.der');
    writeFileSync(notPem, Buffer.from([0x30, 0x82]));
    expect(() =>
      databaseConnection(URL, { DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: notPem }),
    ).toThrow(/DATABASE_SSL_CA_FILE: .*ca\.der is not a PEM file/);
  });
});

describe('PostgreSQL TLS on a real connection', () => {
  /** Whether this session is encrypted, or the driver's refusal. */
  const encrypted = async (url: string, env: NodeJS.ProcessEnv) => {
    const dataSource = createDataSource(url, {}, env);
    await dataSource.initialize();
    try {
      const [row] = await dataSource.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return (row as { ssl: boolean }).ssl;
    } finally {
      await dataSource.destroy();
    }
  };

  it('asks the server for TLS with require and never with disable', async () => {
    const plain = `${TEST_DATABASE_SERVER_URL}${TEST_DATABASE_SERVER_URL.includes('?') ? '&' : '?'}sslmode=disable`;
    await expect(encrypted(plain, {})).resolves.toBe(false);
    const serverHasTls = await encrypted(TEST_DATABASE_SERVER_URL, { DATABASE_SSL_MODE: 'require' }).catch(
      (error: Error) => error.message,
    );
    // A test server without TLS refuses; one with it encrypts the session.
    expect([true, 'The server does not support SSL connections']).toContain(serverHasTls);
  });
});
