/**
 * Something a service depends on: `check` rejects with the reason when the service cannot work
 * (not ready), and resolves to a sentence when it works in a degraded way (ready, with a note).
 */
export interface HealthProbe {
  readonly name: string;
  check(): Promise<void | string>;
}

/** Injection token for the probes a service registers with ObservabilityModule. */
export const HEALTH_PROBES = Symbol('HEALTH_PROBES');
