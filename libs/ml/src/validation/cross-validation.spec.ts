import { pooledReport, stratifiedKFoldSplits } from './cross-validation';
import { validationReport } from './validation-report';

describe('stratified k-fold splits', () => {
  const labels = [
    ...new Array<number>(23).fill(0),
    ...new Array<number>(9).fill(1),
    ...new Array<number>(4).fill(2),
  ];
  const rounds = stratifiedKFoldSplits(labels, 5, 7);

  it('tests every example exactly once and never trains on what it validates or tests', () => {
    expect(rounds).toHaveLength(5);
    labels.forEach((_, example) => {
      expect(rounds.filter((splits) => splits[example] === 'test')).toHaveLength(1);
      expect(rounds.filter((splits) => splits[example] === 'validation')).toHaveLength(1);
    });
  });

  it('spreads every class evenly over the folds, and the folds evenly over the data', () => {
    for (const label of [0, 1, 2]) {
      const perRound = rounds.map(
        (splits) => labels.filter((value, index) => value === label && splits[index] === 'test').length,
      );
      expect(Math.max(...perRound) - Math.min(...perRound)).toBeLessThanOrEqual(1);
    }
    const sizes = rounds.map((splits) => splits.filter((split) => split === 'test').length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('is the same for the same seed and different for another', () => {
    expect(stratifiedKFoldSplits(labels, 5, 7)).toEqual(rounds);
    expect(stratifiedKFoldSplits(labels, 5, 8)).not.toEqual(rounds);
  });

  it('needs a test, a validation and a train fold', () => {
    expect(() => stratifiedKFoldSplits(labels, 2)).toThrow('k-fold needs k ≥ 3');
  });
});

describe('pooled report', () => {
  const labels = ['Good', 'Bad'];
  const first = {
    truth: [0, 1],
    probabilities: [
      [0.9, 0.1],
      [0.3, 0.7],
    ],
  };
  const second = {
    truth: [1, 1, 0],
    probabilities: [
      [0.6, 0.4],
      [0.2, 0.8],
      [0.7, 0.3],
    ],
  };

  it('judges every round’s test images together', () => {
    const pooled = pooledReport(labels, [first, second]);
    expect(pooled.count).toBe(5);
    expect(pooled.accuracyInterval).toMatchObject({ value: 4 / 5, n: 5 });
    expect(pooled).toEqual(
      validationReport(
        labels,
        [...first.truth, ...second.truth],
        [...first.probabilities, ...second.probabilities],
      ),
    );
  });

  it('refuses a round whose labels and predictions do not line up', () => {
    expect(() => pooledReport(labels, [{ truth: [0], probabilities: [] }, second])).toThrow(
      'round 0 has 1 expert labels but 0 rows of probabilities',
    );
  });
});
