import { loadServiceConfig } from '@hydra/service';

export interface LabelerApiConfig {
  port: number;
  databaseUrl: string;
}

export function labelerApiConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LabelerApiConfig {
  const { port, databaseUrl } = loadServiceConfig('LABELER_API_PORT', 3000, {}, env);
  return { port, databaseUrl };
}
