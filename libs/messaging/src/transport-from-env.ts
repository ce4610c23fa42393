import { configVars, loadConfig } from '@hydra/runtime';
import { z } from 'zod';
import type { DeliveryPolicy } from './delivery-policy';
import type { TransportChoice } from './event-transport';
import { natsSecurityFromEnv } from './jetstream/nats-security';

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

/**
 * JetStream as `NATS_URL` (comma-separated servers), `NATS_STREAM` and `NATS_SUBJECT_PREFIX` say,
 * with the credentials and TLS of `natsSecurityFromEnv`.
 */
export function transportFromEnv(env: NodeJS.ProcessEnv = process.env): TransportChoice {
  const config = loadConfig(messagingEnvironment, env);
  return {
    kind: 'jetstream',
    servers: config.NATS_URL,
    options: {
      stream: config.NATS_STREAM,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
      security: natsSecurityFromEnv(env),
    },
  };
}

const deliveryEnvironment = z.object({
  NATS_ACK_WAIT_MS: z.coerce.number().int().min(1_000).optional(),
  NATS_MAX_DELIVER: z.coerce.number().int().min(1).optional(),
});

/** Overrides of the consumers' defaults: `NATS_ACK_WAIT_MS` (how soon a dead replica's messages go to another), `NATS_MAX_DELIVER`. */
export function deliveryFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<DeliveryPolicy> {
  const config = loadConfig(deliveryEnvironment, env);
  return {
    ...(config.NATS_ACK_WAIT_MS && { ackWaitMs: config.NATS_ACK_WAIT_MS }),
    ...(config.NATS_MAX_DELIVER && { maxDeliver: config.NATS_MAX_DELIVER }),
  };
}
