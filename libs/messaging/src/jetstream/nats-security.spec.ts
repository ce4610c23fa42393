import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';
import { natsSecurityFromEnv } from './nats-security';

let folder: string;
const file = (name: string, text: string) => {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
};
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'hydra-nats-security-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('NATS credentials and TLS from the environment', () => {
  it('connects as before when nothing is set', () => {
    expect(natsSecurityFromEnv({})).toEqual({});
    expect(natsSecurityFromEnv({ NATS_USER: '', NATS_TLS_CA_FILE: '' })).toEqual({});
  });

  it('sends NATS_USER and NATS_PASSWORD', () => {
    const { authenticator } = natsSecurityFromEnv({ NATS_USER: 'hall-a', NATS_PASSWORD: 's3cret' });
    expect([authenticator].flat()[0]?.('nonce')).toEqual({ user: 'hall-a', pass: 's3cret' });
  });

  it('sends NATS_TOKEN', () => {
    const { authenticator } = natsSecurityFromEnv({ NATS_TOKEN: 't0ken' });
    expect([authenticator].flat()[0]?.('nonce')).toEqual({ auth_token: 't0ken' });
  });

  it('signs the server nonce with the seed in NATS_NKEY_SEED_FILE', () => {
    const user = nkeys.createUser();
    const seedFile = file('user.nk', `${new TextDecoder().decode(user.getSeed())}\n`);
    const { authenticator } = natsSecurityFromEnv({ NATS_NKEY_SEED_FILE: seedFile });
    const auth = [authenticator].flat()[0]?.('the-nonce') as { nkey: string; sig: string };
    expect(auth.nkey).toBe(user.getPublicKey());
    const signature = nkeys.decode(auth.sig);
    expect(user.verify(new TextEncoder().encode('the-nonce'), signature)).toBe(true);
  });

  it('sends the JWT and signs with the seed of NATS_CREDS_FILE', () => {
    const user = nkeys.createUser();
    const seed = new TextDecoder().decode(user.getSeed());
    const jwt = 'eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJVIn0.c2ln';
    const credsFile = file(
      'hydra.creds',
      `-----BEGIN NATS USER JWT-----\n${jwt}\n------END NATS USER JWT------\n\n` +
        `-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`,
    );
    const { authenticator } = natsSecurityFromEnv({ NATS_CREDS_FILE: credsFile });
    const auth = [authenticator].flat()[0]?.('nonce') as { jwt: string; nkey: string };
    expect({ jwt: auth.jwt, nkey: auth.nkey }).toEqual({ jwt, nkey: user.getPublicKey() });
  });

  it('requires TLS with the CA and client certificate files', () => {
    const [ca, cert, key] = ['ca.pem', 'cert.pem', 'key.pem'].map((name) => file(name, PEM));
    expect(
      natsSecurityFromEnv({ NATS_TLS_CA_FILE: ca, NATS_TLS_CERT_FILE: cert, NATS_TLS_KEY_FILE: key }),
    ).toEqual({ tls: { caFile: ca, certFile: cert, keyFile: key } });
    expect(natsSecurityFromEnv({ NATS_TLS_REQUIRED: 'true' })).toEqual({ tls: {} });
    expect(natsSecurityFromEnv({ NATS_TLS_HANDSHAKE_FIRST: '1', NATS_TLS_CA_FILE: ca })).toEqual({
      tls: { caFile: ca, handshakeFirst: true },
    });
  });

  it('refuses two ways to authenticate at once', () => {
    expect(() => natsSecurityFromEnv({ NATS_TOKEN: 't', NATS_USER: 'u', NATS_PASSWORD: 'p' })).toThrow(
      /NATS_TOKEN: NATS_USER is also set; choose one way to authenticate/,
    );
  });

  it('refuses a user without a password, and a password without a user', () => {
    expect(() => natsSecurityFromEnv({ NATS_USER: 'u' })).toThrow(
      /NATS_PASSWORD: is not set \(NATS_USER is\)/,
    );
    expect(() => natsSecurityFromEnv({ NATS_PASSWORD: 'p' })).toThrow(
      /NATS_USER: is not set \(NATS_PASSWORD is\)/,
    );
  });

  it('refuses a client certificate without its key', () => {
    expect(() => natsSecurityFromEnv({ NATS_TLS_CERT_FILE: file('only-cert.pem', PEM) })).toThrow(
      /NATS_TLS_KEY_FILE: is not set; a client certificate needs both/,
    );
  });

  it('names the variable whose file cannot be read or is not what it should be', () => {
    const missing = join(folder, 'absent.pem');
    expect(() => natsSecurityFromEnv({ NATS_TLS_CA_FILE: missing })).toThrow(
      `NATS_TLS_CA_FILE: cannot read ${missing} (ENOENT)`,
    );
    expect(() => natsSecurityFromEnv({ NATS_TLS_CA_FILE: file('ca.txt', 'hello') })).toThrow(
      /NATS_TLS_CA_FILE: .*ca\.txt is not a PEM file/,
    );
    expect(() => natsSecurityFromEnv({ NATS_CREDS_FILE: join(folder, 'absent.creds') })).toThrow(
      /NATS_CREDS_FILE: cannot read .*absent\.creds \(ENOENT\)/,
    );
    expect(() => natsSecurityFromEnv({ NATS_CREDS_FILE: file('bad.creds', 'not creds') })).toThrow(
      /NATS_CREDS_FILE: .*bad\.creds is not a NATS credentials file/,
    );
    expect(() =>
      natsSecurityFromEnv({ NATS_NKEY_SEED_FILE: file('public.nk', nkeys.createUser().getPublicKey()) }),
    ).toThrow(/NATS_NKEY_SEED_FILE: .*public\.nk is not an nkey seed/);
  });

  it('refuses a flag that is not a boolean', () => {
    expect(() => natsSecurityFromEnv({ NATS_TLS_REQUIRED: 'yes' })).toThrow(
      /NATS_TLS_REQUIRED: .*\(got "yes"\)/,
    );
  });
});
