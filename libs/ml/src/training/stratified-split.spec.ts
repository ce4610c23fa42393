import { stratifiedSplit } from './stratified-split';

describe('stratified split', () => {
  const labels = [...new Array(60).fill(0), ...new Array(30).fill(1), ...new Array(10).fill(2)];

  it('keeps each class in the given proportions in every split', () => {
    const splits = stratifiedSplit(labels, { validation: 0.2, test: 0.2 }, 3);
    const count = (label: number, split: string) =>
      labels.filter((value, index) => value === label && splits[index] === split).length;
    expect([count(0, 'train'), count(0, 'validation'), count(0, 'test')]).toEqual([36, 12, 12]);
    expect([count(1, 'train'), count(1, 'validation'), count(1, 'test')]).toEqual([18, 6, 6]);
    expect([count(2, 'train'), count(2, 'validation'), count(2, 'test')]).toEqual([6, 2, 2]);
  });

  it('is the same for the same seed and different for another', () => {
    const fractions = { validation: 0.15, test: 0.15 };
    expect(stratifiedSplit(labels, fractions, 1)).toEqual(stratifiedSplit(labels, fractions, 1));
    expect(stratifiedSplit(labels, fractions, 2)).not.toEqual(stratifiedSplit(labels, fractions, 1));
  });
});
