import { z } from 'zod';

/** Thrown at start-up when the environment does not describe a runnable service. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Validates the environment against a service's schema; the error names every missing or invalid
 * variable so an operator fixes them all in one go.
 */
export function loadConfig<T extends z.ZodObject>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const value = env[variable];
    const missing = value === undefined || value === '';
    return `  ${variable}: ${missing ? 'is not set' : `${issue.message} (got "${value}")`}`;
  });
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

/** Reusable variable schemas, so every service spells the same variable the same way. */
export const configVars = {
  url: (protocols: string[]) =>
    z.url().refine((value) => protocols.some((protocol) => value.startsWith(`${protocol}://`)), {
      message: `must be a ${protocols.map((protocol) => `${protocol}://`).join(' or ')} URL`,
    }),
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
};
