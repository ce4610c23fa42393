import { databaseConnection } from '@hydra/db';
import { configVars, loadConfig } from '@hydra/runtime';
import { z } from 'zod';

/**
 * What every service reads — `DATABASE_URL` (with its TLS settings) and its own port variable —
 * together with its own variables, validated in one go so an operator sees every problem at once.
 */
export function loadServiceConfig<T extends z.ZodRawShape>(
  portVariable: string,
  defaultPort: number,
  own: T,
  env: NodeJS.ProcessEnv,
): { port: number; databaseUrl: string; values: z.infer<z.ZodObject<T>> } {
  const schema = z.object({
    DATABASE_URL: configVars.url(['postgres', 'postgresql']),
    [portVariable]: configVars.port(defaultPort),
  });
  const {
    DATABASE_URL,
    [portVariable]: port,
    ...values
  } = loadConfig(schema.extend(own), env) as Record<string, unknown>;
  // Checked here, before any service starts, rather than when the first connection is made.
  databaseConnection(DATABASE_URL as string, env);
  return {
    port: port as number,
    databaseUrl: DATABASE_URL as string,
    values: values as z.infer<z.ZodObject<T>>,
  };
}
