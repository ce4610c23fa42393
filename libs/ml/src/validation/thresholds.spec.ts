import { maxF1Thresholds } from './thresholds';

const labels = ['Good', 'Bad'];

describe('max-F1 thresholds', () => {
  it('takes the top of the plateau when the validation split is perfectly separated', () => {
    // Every verdict right: F1 = 1 from 0.00 up to the least confident right verdict of each class.
    const truth = [1, 1, 1, 0, 0, 0];
    const outputs = [
      [0.05, 0.95],
      [0.28, 0.72],
      [0.1, 0.9],
      [0.8, 0.2],
      [0.66, 0.34],
      [0.9, 0.1],
    ];
    const thresholds = maxF1Thresholds(labels, truth, outputs);
    expect(thresholds.Bad).toMatchObject({ threshold: 0.72, f1: 1, rule: 'max-f1' });
    expect(thresholds.Good).toMatchObject({ threshold: 0.66, f1: 1, precision: 1, recall: 1 });
  });

  it('caps the threshold at 0.99 when every right verdict is surer than that', () => {
    const thresholds = maxF1Thresholds(
      labels,
      [0, 1],
      [
        [0.999, 0.001],
        [0.002, 0.998],
      ],
    );
    expect(thresholds.Good?.threshold).toBe(0.99);
    expect(thresholds.Bad?.threshold).toBe(0.99);
  });

  it('raises a class threshold until unsure wrong verdicts stop being confirmed, and no further than F1 allows', () => {
    const truth = [1, 1, 1, 0, 0, 0];
    const outputs = [
      [0.05, 0.95],
      [0.1, 0.9],
      [0.15, 0.85],
      [0.4, 0.6], // Good plots judged Bad, unsure
      [0.45, 0.55],
      [0.9, 0.1],
    ];
    const thresholds = maxF1Thresholds(labels, truth, outputs);
    // F1 = 1 from 0.61 (above both wrong verdicts) to 0.85 (the least sure right one).
    expect(thresholds.Bad).toMatchObject({ threshold: 0.85, f1: 1 });
    // One of three Good plots found: F1 0.5 up to its confidence 0.9, 0 above.
    expect(thresholds.Good).toMatchObject({ threshold: 0.9, f1: 0.5 });
  });

  it('gives a class the split cannot judge the strictest threshold', () => {
    const thresholds = maxF1Thresholds(
      ['Good', 'Bad', 'NoData'],
      [0, 1],
      [
        [0.9, 0.05, 0.05],
        [0.1, 0.8, 0.1],
      ],
    );
    expect(thresholds.NoData).toMatchObject({ threshold: 0.99, f1: 0 });
  });

  describe('with a precision or recall target', () => {
    // Bad verdicts by confidence: right at 0.95, 0.9, 0.8, 0.7; wrong at 0.85 and 0.6.
    const truth = [1, 1, 1, 1, 0, 0, 1];
    const outputs = [
      [0.05, 0.95],
      [0.1, 0.9],
      [0.2, 0.8],
      [0.3, 0.7],
      [0.15, 0.85],
      [0.4, 0.6],
      [0.55, 0.45], // a Bad plot judged Good
    ];

    it('confirms as much as possible at the asked precision', () => {
      // Precision is 4/6 up to 0.60, 4/5 up to 0.70, 3/4 up to 0.80, 2/3 up to 0.85, then 1.
      const bad = maxF1Thresholds(labels, truth, outputs, { targets: { Bad: { minPrecision: 0.8 } } }).Bad;
      expect(bad).toMatchObject({ threshold: 0.61, precision: 0.8, rule: 'target' });
      const strict = maxF1Thresholds(labels, truth, outputs, {
        targets: { Bad: { minPrecision: 0.95 } },
      }).Bad;
      expect(strict).toMatchObject({ threshold: 0.86, precision: 1, recall: 2 / 5 });
    });

    it('confirms no more than needed for the asked recall', () => {
      // Recall is 4/5 up to 0.70, 3/5 up to 0.80 and 2/5 above: the highest keeping 3/5 is 0.80.
      const bad = maxF1Thresholds(labels, truth, outputs, { targets: { Bad: { minRecall: 0.6 } } }).Bad;
      expect(bad).toMatchObject({ threshold: 0.8, recall: 3 / 5, rule: 'target' });
    });

    it('falls back to max F1 and says why when no threshold meets the target', () => {
      const bad = maxF1Thresholds(labels, truth, outputs, {
        targets: { Bad: { minPrecision: 0.9, minRecall: 0.9 } },
      }).Bad;
      expect(bad?.rule).toBe('max-f1');
      expect(bad?.note).toBe('no threshold reaches precision ≥ 0.9 and recall ≥ 0.9 on the validation split');
      expect(bad?.threshold).toBe(maxF1Thresholds(labels, truth, outputs).Bad?.threshold);
    });
  });
});
