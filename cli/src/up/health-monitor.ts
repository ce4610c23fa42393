/** One part of the system and how to ask whether it is well. */
export interface MonitoredPart {
  name: string;
  /** Null: well; otherwise what is wrong, in a few words. */
  check(): Promise<string | null>;
}

export interface PartHealth {
  name: string;
  problem: string | null;
}

/** Asks an HTTP `/health`: down with the failing dependencies' messages, or unreachable. */
export function httpHealth(name: string, url: string): MonitoredPart {
  return {
    name,
    check: async () => {
      try {
        // Generous: a service busy with a long computation (an epoch of training) answers late.
        const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        if (response.ok) return null;
        const body = (await response.json().catch(() => null)) as {
          error?: Record<string, { message?: string }>;
        } | null;
        const failing = Object.entries(body?.error ?? {}).map(
          ([dependency, detail]) => `${dependency}: ${detail.message ?? 'down'}`,
        );
        return failing.length ? failing.join('; ') : `HTTP ${response.status}`;
      } catch (error) {
        return `no answer (${(error as Error).cause ? String((error as Error).cause) : (error as Error).message})`;
      }
    },
  };
}

/** Failed checks in a row before a part is said to be down (one slow answer is not an outage). */
const DOWN_AFTER = 3;

/**
 * Watches every part: `waitUntilWell` for the summary at start, then a line each time a part goes
 * down or comes back.
 */
export class HealthMonitor {
  /** What was last said of each part: null well, else the problem. */
  private readonly last = new Map<string, string | null>();
  private readonly failures = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly parts: MonitoredPart[],
    private readonly report: (line: string) => void,
  ) {}

  async check(): Promise<PartHealth[]> {
    return Promise.all(this.parts.map(async (part) => ({ name: part.name, problem: await part.check() })));
  }

  /** Every part's health once all are well, or as they are when `timeoutMs` runs out. */
  async waitUntilWell(timeoutMs: number): Promise<PartHealth[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const health = await this.check();
      if (health.every((part) => part.problem === null) || Date.now() > deadline) {
        for (const part of health) this.last.set(part.name, part.problem);
        return health;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  watch(intervalMs: number): void {
    const tick = async () => {
      for (const part of await this.check()) {
        const failures = part.problem === null ? 0 : (this.failures.get(part.name) ?? 0) + 1;
        this.failures.set(part.name, failures);
        const wasWell = this.last.get(part.name) === null;
        if (part.problem === null && !wasWell) this.report(`${part.name} is well again`);
        else if (part.problem !== null && wasWell && failures >= DOWN_AFTER)
          this.report(`${part.name} is down: ${part.problem}`);
        else continue;
        this.last.set(part.name, part.problem);
      }
      if (!this.stopped) this.timer = setTimeout(() => void tick(), intervalMs);
    };
    this.timer = setTimeout(() => void tick(), intervalMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

/** `ingest ok · classifier down (database: …)` */
export function healthLine(health: PartHealth[]): string {
  return health
    .map((part) => (part.problem ? `${part.name} DOWN (${part.problem})` : `${part.name} ok`))
    .join(' · ');
}
