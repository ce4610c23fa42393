/** How a consumer treats one subject; `@EventPattern(subject, extras)` may override any field. */
export interface DeliveryPolicy {
  /** Attempts before a failing message goes to `dlq.<subject>`. */
  maxDeliver: number;
  /** Delay before attempt n+1 is `backoffMs[n-1]` (the last entry repeats). */
  backoffMs: number[];
  /** Messages handled at once by one replica. */
  concurrency: number;
  /** Messages pulled ahead of the handler; keep small for slow handlers such as training. */
  prefetch: number;
  /** A message not acknowledged within this time is redelivered; handlers still running say they are working. */
  ackWaitMs: number;
}

export const defaultDeliveryPolicy: DeliveryPolicy = {
  maxDeliver: 5,
  backoffMs: [500, 2_000, 10_000, 30_000],
  concurrency: 1,
  prefetch: 64,
  ackWaitMs: 30_000,
};

/** The handler's `@EventPattern` extras over the transport's defaults, ignoring unknown keys. */
export function policyFor(
  defaults: DeliveryPolicy,
  extras: Record<string, unknown> | undefined,
): DeliveryPolicy {
  const policy = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof DeliveryPolicy)[]) {
    if (extras?.[key] !== undefined) Object.assign(policy, { [key]: extras[key] });
  }
  return policy;
}

export function retryDelayMs(policy: DeliveryPolicy, attempt: number): number {
  const index = Math.min(attempt - 1, policy.backoffMs.length - 1);
  return policy.backoffMs[Math.max(index, 0)] ?? 0;
}
