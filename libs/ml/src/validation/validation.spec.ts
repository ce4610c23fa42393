import { maxF1Thresholds } from './thresholds';
import { validationReport } from './validation-report';

const labels = ['Good', 'Bad', 'NoData'];
// truth, probabilities
const truth = [0, 0, 0, 1, 1, 2, 1, 0];
const probabilities = [
  [0.9, 0.05, 0.05],
  [0.6, 0.35, 0.05],
  [0.3, 0.65, 0.05], // Good judged Bad at 0.65
  [0.05, 0.92, 0.03],
  [0.1, 0.55, 0.35],
  [0.05, 0.05, 0.9],
  [0.7, 0.25, 0.05], // Bad judged Good at 0.70
  [0.8, 0.1, 0.1],
];

describe('validation report', () => {
  const report = validationReport(labels, truth, probabilities);

  it('counts the confusion matrix and accuracy', () => {
    expect(report.confusion).toEqual([
      [3, 1, 0],
      [1, 2, 0],
      [0, 0, 1],
    ]);
    expect(report.accuracy).toBeCloseTo(6 / 8);
  });

  it('gives per-class precision, recall and F1', () => {
    const bad = report.perClass[1];
    expect(bad).toMatchObject({ label: 'Bad', support: 3 });
    expect(bad?.precision).toBeCloseTo(2 / 3);
    expect(bad?.recall).toBeCloseTo(2 / 3);
    expect(report.perClass[2]?.f1).toBe(1);
    expect(report.macroF1).toBeCloseTo((0.75 + 2 / 3 + 1) / 3);
  });

  it('histograms the confidence of every cell', () => {
    expect(report.confidenceHistograms[0]?.[1]).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0, 0]); // 0.65 falls in bin 6
    expect(report.confidenceHistograms[1]?.[0]?.[7]).toBe(1);
    const total = report.confidenceHistograms.flat(2).reduce((sum, value) => sum + value, 0);
    expect(total).toBe(truth.length);
  });

  it('measures calibration error', () => {
    // Perfectly calibrated predictions have no error; these are over-confident in bins 6 and 7.
    expect(report.calibration.ece).toBeGreaterThan(0);
    expect(report.calibration.ece).toBeLessThan(1);
    const perfect = validationReport(
      ['A', 'B'],
      [0, 0, 1, 1],
      [
        [1, 0],
        [1, 0],
        [0, 1],
        [0, 1],
      ],
    );
    expect(perfect.calibration.ece).toBeCloseTo(0);
  });
});

describe('max-F1 thresholds', () => {
  it('raises a class threshold until unsure wrong verdicts stop being confirmed', () => {
    const twoLabels = ['Good', 'Bad'];
    const actual = [1, 1, 1, 0, 0, 0];
    const outputs = [
      [0.05, 0.95],
      [0.1, 0.9],
      [0.15, 0.85],
      [0.4, 0.6], // Good plots judged Bad, unsure
      [0.45, 0.55],
      [0.9, 0.1],
    ];
    const thresholds = maxF1Thresholds(twoLabels, actual, outputs);
    expect(thresholds.Bad).toEqual({ threshold: 0.61, f1: 1 });
    expect(thresholds.Good).toEqual({ threshold: 0, f1: 0.5 });
  });

  it('keeps the lowest threshold when raising it gains nothing', () => {
    expect(maxF1Thresholds(labels, truth, probabilities).NoData).toEqual({ threshold: 0, f1: 1 });
  });
});
