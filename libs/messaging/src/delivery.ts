import { randomUUID } from 'node:crypto';
import { type DeadLetterEvent, parseEvent } from '@hydra/contracts';
import type { MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { type DeliveryPolicy, retryDelayMs } from './delivery-policy';
import { EventContext } from './event-context';
import { messageHandlingSeconds, messagesTotal } from './messaging.metrics';

/** One delivery of one message, as either transport received it. */
export interface InboundDelivery {
  subject: string;
  attempt: number;
  sequence: number | null;
  messageId: string | null;
  payload: string;
}

export type DeliveryOutcome =
  | { kind: 'ack' }
  | { kind: 'retry'; delayMs: number; error: string }
  | { kind: 'dead-letter'; reason: string };

/**
 * Decides what becomes of one delivery: a message that is not valid JSON for its subject is never
 * handled as if it were valid; a handler that throws is retried with back-off, then dead-lettered.
 */
export async function settleDelivery(
  delivery: InboundDelivery,
  handler: MessageHandler,
  policy: DeliveryPolicy,
): Promise<DeliveryOutcome> {
  const outcome = await decide(delivery, handler, policy);
  // A dead letter is counted by the transport once it is stored, so a redelivery never counts twice.
  if (outcome.kind !== 'dead-letter') messagesTotal.inc({ subject: delivery.subject, outcome: outcome.kind });
  return outcome;
}

/** Counts a message that went to `dlq.<subject>`: once per message, however often it was delivered. */
export function countDeadLetter(subject: string): void {
  messagesTotal.inc({ subject, outcome: 'dead-letter' });
}

async function decide(
  delivery: InboundDelivery,
  handler: MessageHandler,
  policy: DeliveryPolicy,
): Promise<DeliveryOutcome> {
  if (delivery.attempt > policy.maxDeliver) {
    return {
      kind: 'dead-letter',
      reason: `delivered ${delivery.attempt} times without an outcome (the consumer crashed or timed out handling it)`,
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(delivery.payload);
  } catch (error) {
    return { kind: 'dead-letter', reason: `payload is not JSON: ${(error as Error).message}` };
  }
  const parsed = parseEvent(delivery.subject, data);
  if (!parsed.ok) return { kind: 'dead-letter', reason: parsed.error };

  const stopTimer = messageHandlingSeconds.startTimer({ subject: delivery.subject });
  try {
    const context = new EventContext([delivery.subject, delivery.attempt, delivery.sequence]);
    const result = await handler(parsed.value, context);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    return { kind: 'ack' };
  } catch (error) {
    const message = describeError(error);
    if (delivery.attempt >= policy.maxDeliver) {
      return {
        kind: 'dead-letter',
        reason: `handler failed on all ${delivery.attempt} attempts; last error: ${message}`,
      };
    }
    return { kind: 'retry', delayMs: retryDelayMs(policy, delivery.attempt), error: message };
  } finally {
    stopTimer();
  }
}

export function buildDeadLetter(
  delivery: InboundDelivery,
  consumer: string,
  reason: string,
): DeadLetterEvent {
  return {
    id: randomUUID(),
    occurredAt: new Date().toISOString(),
    subject: delivery.subject,
    consumer,
    reason,
    attempts: delivery.attempt,
    streamSequence: delivery.sequence,
    messageId: delivery.messageId,
    payload: delivery.payload,
    failedAt: new Date().toISOString(),
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}
