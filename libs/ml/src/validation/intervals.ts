/** The normal quantile of a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

/** A proportion measured on `n` test images, with its confidence interval. */
export interface ProportionInterval {
  /** successes / n (0 when n is 0). */
  value: number;
  lower: number;
  upper: number;
  n: number;
}

/**
 * Wilson score interval for `successes` out of `n`: unlike value ± z·SE it stays inside [0, 1] and
 * does not collapse to a point at 0 % or 100 %, which is exactly where small test splits land.
 * With no images it says nothing: [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z = Z_95): ProportionInterval {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(successes) || successes < 0 || successes > n)
    throw new RangeError(`a proportion needs whole counts 0 ≤ successes ≤ n (got ${successes} of ${n})`);
  if (n === 0) return { value: 0, lower: 0, upper: 1, n };
  const value = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (value + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((value * (1 - value)) / n + z2 / (4 * n * n));
  return {
    value,
    // At 0 or n successes one bound is exactly 0 or 1; rounding must not push it past.
    lower: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: successes === n ? 1 : Math.min(1, centre + halfWidth),
    n,
  };
}

/** What a gate compares: the lower bound, so a figure passes only if the test images show it. */
export function gateValue(interval: ProportionInterval): number {
  return interval.lower;
}

/**
 * The fewest test images on which a perfect score (n of n) has a Wilson lower bound ≥ `gate`:
 * with fewer, the gate cannot be passed whatever the model does. Infinity for a gate of 1 or more.
 */
export function minimumTestImages(gate: number, z = Z_95): number {
  if (gate <= 0) return 0;
  if (gate >= 1) return Number.POSITIVE_INFINITY;
  // n / (n + z²) ≥ gate  ⇔  n ≥ gate·z² / (1 − gate); the loop absorbs rounding at the boundary.
  let n = Math.max(1, Math.floor((gate * z * z) / (1 - gate)));
  while (wilsonInterval(n, n, z).lower < gate) n++;
  return n;
}
