import { expectedCalibrationError } from './calibration';
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
    expect(report.calibration).toEqual(expectedCalibrationError(probabilities, truth, 10));
  });

  it('gives every proportion its interval over the images behind it', () => {
    expect(report.accuracyInterval).toMatchObject({ value: 6 / 8, n: 8 });
    const bad = report.perClass[1];
    expect(bad?.recallInterval).toMatchObject({ value: 2 / 3, n: 3 });
    expect(bad?.precisionInterval).toMatchObject({ value: 2 / 3, n: 3 });
    // Three images cannot pin a recall down: the interval spans most of [0, 1].
    expect(bad?.recallInterval?.lower).toBeLessThan(0.25);
    expect(bad?.recallInterval?.upper).toBeGreaterThan(0.9);
    expect(report.perClass[2]?.recallInterval).toMatchObject({ value: 1, upper: 1, n: 1 });
  });

  it('refuses outputs that do not line up with the expert labels', () => {
    expect(() => validationReport(labels, truth.slice(1), probabilities)).toThrow(
      '7 expert labels but 8 rows of model outputs',
    );
    expect(() => validationReport(labels, [...truth.slice(1), 3], probabilities)).toThrow(
      'expert label 3 of row 7 is not a class index below 3',
    );
    expect(() => validationReport(labels, truth, [...probabilities.slice(1), [Number.NaN, 0, 1]])).toThrow(
      'row 7 has NaN, not a probability',
    );
    expect(() => validationReport(labels, truth, [...probabilities.slice(1), [1, 0]])).toThrow(
      'row 7 has 2 outputs, expected 3',
    );
  });
});
