import { trainingGates } from './gates';

describe('training gates', () => {
  it('reads per-plot-type settings, with defaults for what they leave out', () => {
    expect(trainingGates.parse({ minBadRecall: 0.9 })).toEqual({
      minTestPerClass: 3,
      minBadRecall: 0.9,
      maxRegression: 0.02,
    });
    expect(() => trainingGates.parse({ minBadRecall: 2 })).toThrow();
  });
});
