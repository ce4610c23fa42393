import { z } from 'zod';
import { ConfigError, configVars, loadConfig } from './load-config';

const schema = z.object({
  DATABASE_URL: configVars.url(['postgres', 'postgresql']),
  NATS_URL: configVars.url(['nats']),
  HTTP_PORT: configVars.port(3000),
  DELETE_SOURCE: configVars.boolean(false),
});

describe('loadConfig', () => {
  it('returns typed values with defaults filled in', () => {
    const config = loadConfig(schema, {
      DATABASE_URL: 'postgres://db/hydra',
      NATS_URL: 'nats://127.0.0.1:4222',
    });
    expect(config).toEqual({
      DATABASE_URL: 'postgres://db/hydra',
      NATS_URL: 'nats://127.0.0.1:4222',
      HTTP_PORT: 3000,
      DELETE_SOURCE: false,
    });
  });

  it('names every missing and invalid variable in one error', () => {
    const load = () => loadConfig(schema, { NATS_URL: 'http://nats', HTTP_PORT: '99999' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/DATABASE_URL: is not set/);
    expect(load).toThrow(/NATS_URL: must be a nats:\/\/ URL \(got "http:\/\/nats"\)/);
    expect(load).toThrow(/HTTP_PORT: .*99999/);
  });
});
