import { crossValidationFolds } from './cross-validation.contracts';
import { trainingOptions } from './events/training.events';

describe('when training cross-validates', () => {
  it('cross-validates where some class would have fewer than 30 test images', () => {
    // 15 % of 193 rounds to 29 test images; of 197, to 30.
    expect(crossValidationFolds({ folds: 5, fineTune: false }, [1000, 193])).toBe(5);
    expect(crossValidationFolds({ folds: 5, fineTune: false }, [1000, 197])).toBe(0);
    expect(crossValidationFolds({ folds: 7, fineTune: false }, [40, 40, 40])).toBe(7);
  });

  it('ignores classes without images, and does not cross-validate when turned off or with fewer images than folds', () => {
    expect(crossValidationFolds({ folds: 5, fineTune: false }, [1000, 0, 300])).toBe(0);
    expect(crossValidationFolds({ folds: 0, fineTune: false }, [40, 40])).toBe(0);
    expect(crossValidationFolds({ folds: 5, fineTune: false }, [2, 2])).toBe(0);
    expect(crossValidationFolds({ folds: 5, fineTune: false }, [3, 2])).toBe(5);
  });

  it('never cross-validates a fine-tune, whose starting weights may have seen every image', () => {
    expect(crossValidationFolds({ folds: 5, fineTune: true }, [40, 40])).toBe(0);
  });

  it('takes 0 (off) or 3 to 10 folds in a request', () => {
    for (const folds of [0, 3, 5, 10])
      expect(trainingOptions.safeParse({ crossValidationFolds: folds }).success).toBe(true);
    for (const folds of [1, 2, 11, 4.5, -1, '5']) {
      const parsed = trainingOptions.safeParse({ crossValidationFolds: folds });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toMatch('crossValidationFolds is 0 (off) or 3 to 10');
    }
  });
});
