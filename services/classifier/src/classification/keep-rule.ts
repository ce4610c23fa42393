import { createHash } from 'node:crypto';
import type { KeepReason } from '@hydra/contracts';
import { BAD_LABEL } from '../alarms/alarm-rules';

/**
 * Hydra's keep rule: a confirmed Bad (the shift crew will want it), an unconfirmed verdict (what
 * the model needs to learn) or an image in the plot type's random `collectPercent` sample (the
 * unbiased sample); the most telling reason is recorded.
 */
export function keepReasonFor(
  verdict: { verdict: string; confirmed: boolean },
  collectPercent: number,
  draw: number,
): KeepReason | null {
  if (verdict.confirmed && verdict.verdict === BAD_LABEL) return 'confirmed-bad';
  if (!verdict.confirmed) return 'unconfirmed';
  if (draw * 100 < collectPercent) return 'sample';
  return null;
}

/** A uniform draw in [0, 1) fixed by the image id, so a redelivered message makes the same choice. */
export function sampleDraw(imageId: string): number {
  return createHash('sha256').update(imageId).digest().readUInt32BE(0) / 2 ** 32;
}
