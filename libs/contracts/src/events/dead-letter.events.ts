import { z } from 'zod';
import { isoDateTime } from '../primitives';
import { envelope } from './envelope';

/** A message that could not be handled, published on `dlq.<subject>` with the reason. */
export const deadLetterEvent = envelope.extend({
  subject: z.string().min(1),
  consumer: z.string().min(1),
  reason: z.string().min(1),
  attempts: z.number().int().nonnegative(),
  streamSequence: z.number().int().nonnegative().nullable(),
  messageId: z.string().nullable(),
  /** The message as received, undecoded, so nothing is lost even when it was not JSON. */
  payload: z.string(),
  failedAt: isoDateTime,
});
export type DeadLetterEvent = z.infer<typeof deadLetterEvent>;
