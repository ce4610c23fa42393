import { z } from 'zod';
import { isoDateTime, uuid } from '../primitives';

/** Every message carries an id (also its JetStream Nats-Msg-Id, so a re-publish is dropped) and a time. */
export const envelope = z.object({ id: uuid, occurredAt: isoDateTime });
export type Envelope = z.infer<typeof envelope>;
