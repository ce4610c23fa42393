import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from '@hydra/runtime';

/** libpq's modes that the Node driver can honour. */
const MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
type Mode = (typeof MODES)[number];

/** The TLS settings, each from its variable or from the same-named libpq parameter of `DATABASE_URL`. */
const SETTINGS = {
  mode: { variable: 'DATABASE_SSL_MODE', parameter: 'sslmode' },
  ca: { variable: 'DATABASE_SSL_CA_FILE', parameter: 'sslrootcert' },
  cert: { variable: 'DATABASE_SSL_CERT_FILE', parameter: 'sslcert' },
  key: { variable: 'DATABASE_SSL_KEY_FILE', parameter: 'sslkey' },
} as const;
type Setting = keyof typeof SETTINGS;

/** URL parameters the driver would otherwise read itself, overriding the options made here. */
const DRIVER_TLS_PARAMETERS = ['ssl', 'sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'uselibpqcompat'];

/** What to hand TypeORM: the URL without its TLS parameters, and pg's `ssl` option (absent: as before). */
export interface DatabaseConnection {
  url: string;
  ssl?: false | ConnectionOptions;
}

/**
 * PostgreSQL TLS with libpq's meaning of `sslmode`: `require` encrypts without checking the server
 * (or checks it against the CA when one is given), `verify-ca` checks the certificate chain,
 * `verify-full` also the host name. From `DATABASE_SSL_*` or the URL's `sslmode`, `sslrootcert`,
 * `sslcert`, `sslkey`; the CA and client files are read now, so a bad one stops the start with its name.
 */
export function databaseConnection(url: string, env: NodeJS.ProcessEnv = process.env): DatabaseConnection {
  const parsed = new URL(url);
  const given = (setting: Setting) => {
    const { variable, parameter } = SETTINGS[setting];
    const fromEnv = env[variable] || undefined;
    const fromUrl = parsed.searchParams.get(parameter) || undefined;
    return {
      value: fromEnv ?? fromUrl,
      source: fromEnv ? variable : `${parameter} in DATABASE_URL`,
      fromUrl,
    };
  };
  const settings = { mode: given('mode'), ca: given('ca'), cert: given('cert'), key: given('key') };
  if (Object.values(settings).every((setting) => setting.value === undefined)) return { url };

  const problems: string[] = [];
  const problem = (source: string, message: string) => problems.push(`  ${source}: ${message}`);
  for (const setting of Object.keys(SETTINGS) as Setting[]) {
    const { value, fromUrl } = settings[setting];
    if (fromUrl !== undefined && value !== fromUrl)
      problem(
        SETTINGS[setting].variable,
        `"${value}" contradicts ${SETTINGS[setting].parameter}=${fromUrl} in DATABASE_URL; set one`,
      );
  }
  const mode = settings.mode.value;
  if (mode === undefined)
    problem(
      SETTINGS.mode.variable,
      `is not set (${[settings.ca, settings.cert, settings.key].find((setting) => setting.value)?.source} is); choose ${MODES.join(', ')}`,
    );
  else if (mode === 'prefer' || mode === 'allow')
    problem(
      settings.mode.source,
      `${mode} (TLS only when the server offers it) is not supported by the Node driver; choose disable or require`,
    );
  else if (!(MODES as readonly string[]).includes(mode))
    problem(settings.mode.source, `must be one of ${MODES.join(', ')} (got "${mode}")`);
  if (mode === 'disable')
    for (const setting of [settings.ca, settings.cert, settings.key])
      if (setting.value) problem(setting.source, 'is set, but TLS is disabled');
  if (mode === 'verify-ca' && !settings.ca.value)
    problem(SETTINGS.ca.variable, 'is not set; verify-ca checks the server certificate against this CA');
  if (Boolean(settings.cert.value) !== Boolean(settings.key.value))
    problem(
      settings.cert.value ? SETTINGS.key.variable : SETTINGS.cert.variable,
      'is not set; a client certificate needs both DATABASE_SSL_CERT_FILE and DATABASE_SSL_KEY_FILE',
    );
  const pem = (setting: Setting) => {
    const { value: path, source } = settings[setting];
    if (path === undefined) return undefined;
    try {
      const text = readFileSync(path, 'utf8');
      if (text.includes('-----BEGIN ')) return text;
      problem(source, `${path} is not a PEM file`);
    } catch (error) {
      problem(source, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  };
  const [ca, cert, key] = [pem('ca'), pem('cert'), pem('key')];
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);

  for (const parameter of DRIVER_TLS_PARAMETERS) parsed.searchParams.delete(parameter);
  return { url: parsed.toString(), ssl: sslOptions(mode as Mode, { ca, cert, key }) };
}

function sslOptions(
  mode: Mode,
  files: { ca?: string; cert?: string; key?: string },
): false | ConnectionOptions {
  if (mode === 'disable') return false;
  const clientCertificate = files.cert && files.key ? { cert: files.cert, key: files.key } : {};
  // Checks the chain up to the CA but not that the certificate names this host.
  const chainOnly = { ca: files.ca, checkServerIdentity: () => undefined };
  if (mode === 'verify-full') return { ...(files.ca && { ca: files.ca }), ...clientCertificate };
  if (mode === 'verify-ca' || files.ca) return { ...chainOnly, ...clientCertificate };
  return { rejectUnauthorized: false, ...clientCertificate };
}
