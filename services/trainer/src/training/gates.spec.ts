import type { ValidationReport } from '@hydra/ml';
import { gateFailures, trainingGates } from './gates';

function report(accuracy: number, classes: [string, number, number][]): ValidationReport {
  return {
    labels: classes.map(([label]) => label),
    count: 0,
    accuracy,
    macroF1: accuracy,
    perClass: classes.map(([label, recall, support]) => ({
      label,
      precision: 1,
      recall,
      f1: recall,
      support,
    })),
    confusion: [],
    confidenceHistograms: [],
    calibration: { ece: 0, bins: [] },
  };
}

const gates = trainingGates.parse({});

describe('gateFailures', () => {
  it('passes a good candidate', () => {
    const candidate = report(0.97, [
      ['Good', 0.98, 40],
      ['Bad', 0.95, 30],
    ]);
    expect(gateFailures(candidate, report(0.96, []), gates)).toEqual([]);
  });

  it('names every failed gate', () => {
    const candidate = report(0.8, [
      ['Good', 0.98, 40],
      ['Bad', 0.4, 2],
    ]);
    expect(gateFailures(candidate, report(0.9, []), gates)).toEqual([
      'only 2 test images of Bad (at least 3 needed)',
      'Bad recall 0.400 is under the minimum 0.5',
      "accuracy 0.800 is more than 0.02 below production's 0.900 on the same images",
    ]);
  });

  it('allows a regression within the margin, and has nothing to regress from without production', () => {
    expect(gateFailures(report(0.89, [['Good', 1, 10]]), report(0.9, []), gates)).toEqual([]);
    expect(gateFailures(report(0.5, [['Good', 1, 10]]), null, gates)).toEqual([]);
  });

  it('reads per-plot-type settings, with defaults for what they leave out', () => {
    expect(trainingGates.parse({ minBadRecall: 0.9 })).toEqual({
      minTestPerClass: 3,
      minBadRecall: 0.9,
      maxRegression: 0.02,
    });
    expect(() => trainingGates.parse({ minBadRecall: 2 })).toThrow();
  });
});
