import { readFileSync } from 'node:fs';
import { ConfigError, configVars, loadConfig } from '@hydra/runtime';
import {
  type Authenticator,
  credsAuthenticator,
  type NodeConnectionOptions,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
} from '@nats-io/transport-node';
import { z } from 'zod';

/** How a process proves who it is to NATS and secures the link: `connect` options beside the servers. */
export type NatsSecurity = Pick<NodeConnectionOptions, 'authenticator' | 'tls'>;

// Kubernetes and shell scripts write an unset variable as an empty one.
const optional = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());

const natsSecurityEnvironment = z.object({
  NATS_CREDS_FILE: optional,
  NATS_NKEY_SEED_FILE: optional,
  NATS_USER: optional,
  NATS_PASSWORD: optional,
  NATS_TOKEN: optional,
  NATS_TLS_CA_FILE: optional,
  NATS_TLS_CERT_FILE: optional,
  NATS_TLS_KEY_FILE: optional,
  NATS_TLS_REQUIRED: configVars.boolean(false),
  NATS_TLS_HANDSHAKE_FIRST: configVars.boolean(false),
});

type NatsSecurityConfig = z.infer<typeof natsSecurityEnvironment>;

const AUTH_METHODS = ['NATS_CREDS_FILE', 'NATS_NKEY_SEED_FILE', 'NATS_USER', 'NATS_TOKEN'] as const;

type Problem = (variable: string, message: string) => void;

/**
 * Credentials and TLS for NATS from the environment, checked now (files readable, one way to
 * authenticate) so a mistake stops the service at start-up with the variable's name. Files are read
 * again at every reconnect, so a rotated secret is picked up without a restart.
 */
export function natsSecurityFromEnv(env: NodeJS.ProcessEnv = process.env): NatsSecurity {
  const config = loadConfig(natsSecurityEnvironment, env);
  const problems: string[] = [];
  const problem: Problem = (variable, message) => problems.push(`  ${variable}: ${message}`);

  const [first, second] = AUTH_METHODS.filter((variable) => config[variable] !== undefined);
  if (first && second)
    problem(second, `${first} is also set; choose one way to authenticate (${AUTH_METHODS.join(', ')})`);
  if (config.NATS_USER !== undefined && config.NATS_PASSWORD === undefined)
    problem('NATS_PASSWORD', 'is not set (NATS_USER is)');
  if (config.NATS_PASSWORD !== undefined && config.NATS_USER === undefined)
    problem('NATS_USER', 'is not set (NATS_PASSWORD is)');
  if ((config.NATS_TLS_CERT_FILE === undefined) !== (config.NATS_TLS_KEY_FILE === undefined))
    problem(
      config.NATS_TLS_CERT_FILE === undefined ? 'NATS_TLS_CERT_FILE' : 'NATS_TLS_KEY_FILE',
      'is not set; a client certificate needs both NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE',
    );
  for (const variable of ['NATS_TLS_CA_FILE', 'NATS_TLS_CERT_FILE', 'NATS_TLS_KEY_FILE'] as const) {
    const path = config[variable];
    const text = path === undefined ? undefined : readText(variable, path, problem);
    if (text !== undefined && !text.includes('-----BEGIN ')) problem(variable, `${path} is not a PEM file`);
  }
  if (problems.length === 0) {
    const authenticator = authenticatorFor(config, problem);
    if (problems.length === 0) return { ...(authenticator && { authenticator }), ...tlsFor(config) };
  }
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

/** The chosen authenticator; one read from a file is tried on a made-up nonce, so a malformed file is reported now. */
function authenticatorFor(config: NatsSecurityConfig, problem: Problem): Authenticator | undefined {
  if (config.NATS_USER && config.NATS_PASSWORD)
    return usernamePasswordAuthenticator(config.NATS_USER, config.NATS_PASSWORD);
  if (config.NATS_TOKEN) return tokenAuthenticator(config.NATS_TOKEN);
  const [variable, path] = config.NATS_CREDS_FILE
    ? (['NATS_CREDS_FILE', config.NATS_CREDS_FILE] as const)
    : (['NATS_NKEY_SEED_FILE', config.NATS_NKEY_SEED_FILE] as const);
  if (path === undefined || readText(variable, path, problem) === undefined) return undefined;
  const authenticator =
    variable === 'NATS_CREDS_FILE'
      ? credsAuthenticator(() => new Uint8Array(readFileSync(path)))
      : // A seed file may end with a newline, which is not part of the seed.
        nkeyAuthenticator(() => new TextEncoder().encode(readFileSync(path, 'utf8').trim()));
  try {
    authenticator('hydra-start-up-check');
    return authenticator;
  } catch (error) {
    const kind = variable === 'NATS_CREDS_FILE' ? 'a NATS credentials file' : 'an nkey seed (SU…)';
    problem(variable, `${path} is not ${kind} (${error instanceof Error ? error.message : error})`);
    return undefined;
  }
}

/** No TLS setting: as before (TLS when the server asks for it). Any setting: TLS or no connection. */
function tlsFor(config: NatsSecurityConfig): Pick<NatsSecurity, 'tls'> {
  const files = {
    ...(config.NATS_TLS_CA_FILE && { caFile: config.NATS_TLS_CA_FILE }),
    ...(config.NATS_TLS_CERT_FILE && { certFile: config.NATS_TLS_CERT_FILE }),
    ...(config.NATS_TLS_KEY_FILE && { keyFile: config.NATS_TLS_KEY_FILE }),
  };
  const required =
    config.NATS_TLS_REQUIRED || config.NATS_TLS_HANDSHAKE_FIRST || Object.keys(files).length > 0;
  if (!required) return {};
  return { tls: { ...files, ...(config.NATS_TLS_HANDSHAKE_FIRST && { handshakeFirst: true }) } };
}

function readText(variable: string, path: string, problem: Problem): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    problem(variable, `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return undefined;
  }
}
