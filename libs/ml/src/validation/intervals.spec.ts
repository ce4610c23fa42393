import { gateValue, minimumTestImages, wilsonInterval } from './intervals';

describe('Wilson score interval', () => {
  it('matches the textbook interval for 8 of 10', () => {
    const interval = wilsonInterval(8, 10);
    expect(interval).toMatchObject({ value: 0.8, n: 10 });
    expect(interval.lower).toBeCloseTo(0.4902, 4);
    expect(interval.upper).toBeCloseTo(0.9433, 4);
  });

  it('stays inside [0, 1] and keeps its width at 0 % and 100 %', () => {
    expect(wilsonInterval(0, 10)).toMatchObject({ value: 0, lower: 0 });
    expect(wilsonInterval(0, 10).upper).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(10, 10)).toMatchObject({ value: 1, upper: 1 });
    expect(wilsonInterval(10, 10).lower).toBeCloseTo(0.7225, 4);
  });

  it('narrows as the images grow, and says nothing without images', () => {
    expect(wilsonInterval(80, 100).lower).toBeGreaterThan(wilsonInterval(8, 10).lower);
    expect(wilsonInterval(0, 0)).toEqual({ value: 0, lower: 0, upper: 1, n: 0 });
  });

  it('refuses counts that are not a proportion', () => {
    expect(() => wilsonInterval(11, 10)).toThrow('0 ≤ successes ≤ n (got 11 of 10)');
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
  });

  it('gates on the lower bound', () => {
    expect(gateValue(wilsonInterval(8, 10))).toBe(wilsonInterval(8, 10).lower);
  });
});

describe('minimum test images', () => {
  it('is the smallest n at which n of n has a lower bound at the gate', () => {
    for (const [gate, needed] of [
      [0.5, 4],
      [0.9, 35],
      [0.95, 73],
    ] as const) {
      expect(minimumTestImages(gate)).toBe(needed);
      expect(wilsonInterval(needed, needed).lower).toBeGreaterThanOrEqual(gate);
      expect(wilsonInterval(needed - 1, needed - 1).lower).toBeLessThan(gate);
    }
  });

  it('needs nothing for a gate of 0 and cannot be met for a gate of 1', () => {
    expect(minimumTestImages(0)).toBe(0);
    expect(minimumTestImages(1)).toBe(Number.POSITIVE_INFINITY);
  });
});
