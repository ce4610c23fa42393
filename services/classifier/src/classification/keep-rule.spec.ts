import { randomUUID } from 'node:crypto';
import { keepReasonFor, sampleDraw } from './keep-rule';

describe('keepReasonFor', () => {
  it.each([
    [{ verdict: 'Bad', confirmed: true }, 0, 0.99, 'confirmed-bad'],
    [{ verdict: 'Bad', confirmed: false }, 0, 0.99, 'unconfirmed'],
    [{ verdict: 'Good', confirmed: false }, 0, 0.99, 'unconfirmed'],
    [{ verdict: 'Good', confirmed: true }, 5, 0.04, 'sample'],
    [{ verdict: 'Good', confirmed: true }, 5, 0.05, null],
    [{ verdict: 'NoData', confirmed: true }, 100, 0.999, 'sample'],
  ])('%j, collect %d %%, draw %d → %s', (verdict, percent, draw, expected) => {
    expect(keepReasonFor(verdict, percent, draw)).toBe(expected);
  });
});

describe('sampleDraw', () => {
  it('is fixed per image and spreads evenly', () => {
    const id = randomUUID();
    expect(sampleDraw(id)).toBe(sampleDraw(id));
    const draws = Array.from({ length: 4000 }, () => sampleDraw(randomUUID()));
    const underTenPercent = draws.filter((draw) => draw < 0.1).length / draws.length;
    expect(underTenPercent).toBeGreaterThan(0.08);
    expect(underTenPercent).toBeLessThan(0.12);
  });
});
