import { parseEvent } from '@hydra/contracts';
import { Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { subjectMatches } from '../subject-match';
import type { FeedEvent } from './live-feed';

export const liveFeedInvalidTotal = new Counter({
  name: 'hydra_live_feed_invalid_total',
  help: 'Messages the live feed skipped because they were not valid JSON for their subject',
  labelNames: ['subject'],
});

const logger = new Logger('LiveFeed');

/** Whether any of the filters matches the subject. */
export function matchesAny(subjects: readonly string[], subject: string): boolean {
  return subjects.some((pattern) => subjectMatches(pattern, subject));
}

/** The validated event, or null (logged and counted) when the payload is not valid for its subject. */
export function decodeFeedEvent(sequence: number, subject: string, payload: string): FeedEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch (error) {
    return skip(sequence, subject, `payload is not JSON: ${(error as Error).message}`);
  }
  const parsed = parseEvent(subject, data);
  if (!parsed.ok) return skip(sequence, subject, parsed.error);
  return { sequence, subject, payload: parsed.value };
}

function skip(sequence: number, subject: string, reason: string): null {
  liveFeedInvalidTotal.inc({ subject });
  logger.warn(`live feed skipped ${subject} #${sequence}: ${reason}`);
  return null;
}
