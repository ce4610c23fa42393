/** Something a service depends on; `check` rejects with the reason when it is not usable. */
export interface HealthProbe {
  readonly name: string;
  check(): Promise<void>;
}

/** Injection token for the probes a service registers with ObservabilityModule. */
export const HEALTH_PROBES = Symbol('HEALTH_PROBES');
