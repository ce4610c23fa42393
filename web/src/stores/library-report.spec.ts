import { describe, expect, it } from 'vitest';
import { crossValidationSummary, percentWithInterval, signedPercentWithInterval } from './library-report';

describe('figures with their uncertainty', () => {
  it('shows a figure with its 95 % interval', () => {
    expect(percentWithInterval(0.97, { lower: 0.9314, upper: 0.9876 })).toBe('97.0 % (93.1–98.8)');
  });

  it('shows the figure alone for reports from before intervals, and a dash for no figure', () => {
    expect(percentWithInterval(0.97)).toBe('97.0 %');
    expect(percentWithInterval(0.97, null)).toBe('97.0 %');
    expect(percentWithInterval(null, { lower: 0, upper: 1 })).toBe('—');
  });

  it('signs a difference against production and both ends of its interval', () => {
    expect(signedPercentWithInterval({ value: -0.035, lower: -0.061, upper: -0.01 })).toBe(
      '−3.5 % (−6.1 to −1.0)',
    );
    expect(signedPercentWithInterval({ value: 0, lower: -0.019, upper: 0.019 })).toBe(
      '+0.0 % (−1.9 to +1.9)',
    );
  });

  it('says what the cross-validated figures rest on', () => {
    const report = {
      folds: 5,
      count: 80,
      accuracy: 0.9,
      accuracyInterval: { value: 0.9, lower: 0.8146, upper: 0.9484, n: 80 },
    } as Parameters<typeof crossValidationSummary>[0];
    expect(crossValidationSummary(report)).toBe(
      '5 folds over all 80 labeled images, each judged once by a model that never trained on it: accuracy 90.0 % (81.5–94.8)',
    );
  });
});
