import { configVars, loadConfig } from '@hydra/runtime';
import { z } from 'zod';
import type { TransportChoice } from './event-transport';

const messagingEnvironment = z.object({
  NATS_URL: z
    .string()
    .default('nats://127.0.0.1:4222')
    .transform((value) => value.split(',').map((server) => server.trim()))
    .pipe(z.array(configVars.url(['nats', 'tls']))),
  NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .default('HYDRA'),
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_-]+\.)?$/, 'a subject token followed by "."')
    .default(''),
});

/** JetStream as `NATS_URL` (comma-separated servers), `NATS_STREAM` and `NATS_SUBJECT_PREFIX` say. */
export function transportFromEnv(env: NodeJS.ProcessEnv = process.env): TransportChoice {
  const config = loadConfig(messagingEnvironment, env);
  return {
    kind: 'jetstream',
    servers: config.NATS_URL,
    options: { stream: config.NATS_STREAM, subjectPrefix: config.NATS_SUBJECT_PREFIX },
  };
}
