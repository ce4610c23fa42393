import { z } from 'zod';
import { loadServiceConfig } from './service-config';

const own = { WIDGETS: z.coerce.number().int().min(1).default(3) };

describe('loadServiceConfig', () => {
  it('reads the database URL, the port and the service’s own variables', () => {
    expect(
      loadServiceConfig('WIDGET_PORT', 3009, own, { DATABASE_URL: 'postgres://db/hydra', WIDGETS: '7' }),
    ).toEqual({ port: 3009, databaseUrl: 'postgres://db/hydra', values: { WIDGETS: 7 } });
  });

  it('names every bad variable at once', () => {
    expect(() => loadServiceConfig('WIDGET_PORT', 3009, own, { WIDGET_PORT: 'x', WIDGETS: '0' })).toThrow(
      /DATABASE_URL: is not set[\s\S]*WIDGET_PORT[\s\S]*WIDGETS/,
    );
  });

  it('refuses a database TLS setting that cannot work before anything starts', () => {
    expect(() =>
      loadServiceConfig('WIDGET_PORT', 3009, own, {
        DATABASE_URL: 'postgres://db/hydra',
        DATABASE_SSL_MODE: 'verify-ca',
      }),
    ).toThrow(/DATABASE_SSL_CA_FILE: is not set; verify-ca checks/);
  });
});
