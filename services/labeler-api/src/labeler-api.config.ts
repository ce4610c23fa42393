import { configVars, loadConfig } from '@hydra/runtime';
import { z } from 'zod';

export interface LabelerApiConfig {
  port: number;
  databaseUrl: string;
}

const labelerApiEnvironment = z.object({
  DATABASE_URL: configVars.url(['postgres', 'postgresql']),
  LABELER_API_PORT: configVars.port(3000),
});

export function labelerApiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LabelerApiConfig {
  const config = loadConfig(labelerApiEnvironment, env);
  return { port: config.LABELER_API_PORT, databaseUrl: config.DATABASE_URL };
}
