import { quantile, summarize } from './stats';

describe('quantile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile(values, 1)).toBe(100);
  });

  it('summarizes unsorted values', () => {
    expect(summarize([5, 1, 3])).toEqual({ p50: 3, p99: 5, max: 5 });
  });
});
