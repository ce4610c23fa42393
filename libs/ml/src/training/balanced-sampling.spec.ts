import { balancedEpoch, classWeights } from './balanced-sampling';

const sequence = (values: number[]) => {
  let index = 0;
  return () => values[index++ % values.length] as number;
};

describe('balanced sampling', () => {
  // 0 = Good (6), 1 = Bad (3), 2 = NoData (1)
  const labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2];

  it('resamples every class to the size of the Bad class', () => {
    const epoch = balancedEpoch(labels, 3, sequence([0.1, 0.7, 0.3, 0.9, 0.5]), 1);
    const perClass = [0, 1, 2].map((label) => epoch.filter((index) => labels[index] === label).length);
    expect(perClass).toEqual([3, 3, 3]);
    expect(new Set(epoch.filter((index) => labels[index] === 1))).toEqual(new Set([6, 7, 8]));
  });

  it('balances to the largest class when there is no reference class', () => {
    const epoch = balancedEpoch(labels, 3, sequence([0.2, 0.6, 0.4]));
    expect([0, 1, 2].map((label) => epoch.filter((index) => labels[index] === label).length)).toEqual([
      6, 6, 6,
    ]);
    expect(new Set(epoch.filter((index) => labels[index] === 0))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
  });

  it('weights rare classes up for the weighted-loss alternative', () => {
    const weights = classWeights(labels, 4);
    expect(weights[2]).toBeCloseTo(10 / 3);
    expect(weights[0]).toBeCloseTo(10 / 18);
    expect(weights[3]).toBe(0);
  });
});
