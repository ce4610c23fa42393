/** A seeded random source (mulberry32): the same seed gives the same plots on every machine. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  between(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  integer(low: number, highExclusive: number): number {
    return Math.floor(this.between(low, highExclusive));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.integer(0, items.length)] as T;
  }

  /** Standard normal (Box–Muller). */
  gaussian(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Counts with mean `mean`: exact for small means, normal approximation for large ones. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.gaussian()));
    const limit = Math.exp(-mean);
    let count = 0;
    for (let product = this.next(); product > limit; product *= this.next()) count++;
    return count;
  }

  /**
   * Poisson counts from exactly two draws whatever the mean, by inverting the distribution:
   * two plots from one seed whose means differ in a few bins stay identical in all the others.
   */
  alignedPoisson(mean: number): number {
    const uniform = this.next();
    const other = this.next();
    if (mean <= 0) return 0;
    if (mean > 50) {
      const normal = Math.sqrt(-2 * Math.log(1 - uniform)) * Math.cos(2 * Math.PI * other);
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
    }
    let count = 0;
    let probability = Math.exp(-mean);
    let cumulative = probability;
    while (uniform > cumulative && count < 200) {
      count++;
      probability *= mean / count;
      cumulative += probability;
    }
    return count;
  }
}
