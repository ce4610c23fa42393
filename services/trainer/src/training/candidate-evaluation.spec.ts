import { applyTemperature, maxF1Thresholds } from '@hydra/ml';
import { evaluateCandidate } from './candidate-evaluation';
import { trainingGates } from './gates';

const labels = ['Good', 'Bad'];

/** `right` images of `label` (0 Good, 1 Bad) given to it and `wrong` to the other class, all at `confidence`. */
function images(label: number, right: number, wrong: number, confidence = 0.97) {
  const row = (verdict: number) =>
    verdict === 0 ? [confidence, 1 - confidence] : [1 - confidence, confidence];
  return {
    truth: new Array<number>(right + wrong).fill(label),
    probabilities: [
      ...Array.from({ length: right }, () => row(label)),
      ...Array.from({ length: wrong }, () => row(1 - label)),
    ],
  };
}

function split(...parts: ReturnType<typeof images>[]) {
  return {
    truth: parts.flatMap((part) => part.truth),
    probabilities: parts.flatMap((part) => part.probabilities),
  };
}

describe('candidate evaluation', () => {
  it('calibrates on the validation split, reports the calibration error before and after on the test split, and chooses thresholds on calibrated probabilities', () => {
    // Right 4 times in 5 while claiming 0.97: over-confident.
    const validation = split(images(0, 40, 10), images(1, 40, 10));
    const test = split(images(0, 40, 10), images(1, 40, 10));
    const evaluation = evaluateCandidate(
      { labels, validation, test, production: null, crossValidation: null },
      trainingGates.parse({}),
    );
    // softmax(log p / T) at 0.97 against 0.03 gives 0.8 for T = ln(0.97 / 0.03) / ln 4 ≈ 2.51.
    expect(evaluation.temperature).toBeCloseTo(Math.log(0.97 / 0.03) / Math.log(4), 3);
    const scaling = evaluation.report.temperatureScaling;
    expect(scaling?.before.ece).toBeCloseTo(0.17, 6);
    expect(scaling?.after.ece).toBeLessThan(1e-3);
    expect(evaluation.report.calibration).toEqual(scaling?.after);
    expect(evaluation.thresholds).toEqual(
      maxF1Thresholds(
        labels,
        validation.truth,
        applyTemperature(validation.probabilities, evaluation.temperature),
      ),
    );
    expect(evaluation.thresholds.Bad?.threshold).toBeLessThanOrEqual(0.8);
    expect(evaluation.report.accuracyInterval).toMatchObject({ value: 0.8, n: 100 });
  });

  it('rejects a Bad recall whose point estimate passes but whose 95 % lower bound does not', () => {
    const test = split(images(0, 60, 0), images(1, 46, 4));
    const evaluation = evaluateCandidate(
      { labels, validation: test, test, production: null, crossValidation: null },
      trainingGates.parse({ minBadRecall: 0.9 }),
    );
    expect(evaluation.status).toBe('rejected');
    expect(evaluation.reason).toBe(
      'Bad recall 0.920 on 50 test images could be as low as 0.812 (95 % lower bound), under the minimum 0.9',
    );
    expect(evaluation.warnings).toEqual([]);
  });

  it('warns where the test split is too small to show a gate or a figure, and judges the observed recall', () => {
    const test = split(images(0, 40, 0), images(1, 10, 0));
    const evaluation = evaluateCandidate(
      { labels, validation: test, test, production: null, crossValidation: null },
      trainingGates.parse({ minBadRecall: 0.9 }),
    );
    expect(evaluation.status).toBe('candidate');
    expect(evaluation.warnings).toEqual([
      '10 test images of Bad cannot show a recall of at least 0.9: even 10 of 10 right has a 95 % lower bound of 0.722; at least 35 are needed; the gate judged the observed recall',
      'only 10 test images of Bad: its recall 100.0 % could be anywhere from 72.2 % to 100.0 % (95 %); label more Bad images for a figure to rely on',
    ]);
    // Without a wrong verdict there is no temperature to fit.
    expect(evaluation.temperature).toBe(1);
  });

  it('judges the regression against production on the same images, verdict by verdict', () => {
    const production = split(images(0, 200, 0), images(1, 200, 0));
    const test = split(images(0, 200, 0), images(1, 186, 14));
    const evaluation = evaluateCandidate(
      {
        labels,
        validation: test,
        test,
        production: { modelId: 'production', ...production },
        crossValidation: null,
      },
      trainingGates.parse({}),
    );
    expect(evaluation.production?.regression).toMatchObject({ n: 400, candidateOnly: 0, productionOnly: 14 });
    expect(evaluation.status).toBe('rejected');
    expect(evaluation.reason).toMatch(
      /^accuracy could be up to 0\.0\d\d below production's on the same 400 images \(95 % bound; observed -0\.035\), more than the allowed 0\.02$/,
    );
  });

  describe('with cross-validation where the data are few', () => {
    // The candidate's own test split: 10 Bad images, all right, too few to show a recall of 0.9.
    const test = split(images(0, 12, 0), images(1, 10, 0));
    const gates = trainingGates.parse({ minBadRecall: 0.9 });
    /** Five rounds' test folds: 12 Good and 10 Bad each, with `wrong` Bad images missed in the first. */
    const rounds = (wrong: number) =>
      Array.from({ length: 5 }, (_, round) =>
        split(images(0, 12, 0), images(1, round === 0 ? 10 - wrong : 10, round === 0 ? wrong : 0)),
      );

    it('pools every round into one report over all images, and gates the Bad recall on its lower bound', () => {
      const evaluation = evaluateCandidate(
        { labels, validation: test, test, production: null, crossValidation: rounds(4) },
        gates,
      );
      expect(evaluation.crossValidation).toMatchObject({
        folds: 5,
        count: 110,
        accuracyInterval: { value: 106 / 110, n: 110 },
      });
      const bad = evaluation.crossValidation?.perClass.find((metrics) => metrics.label === 'Bad');
      expect(bad).toMatchObject({ support: 50, recallInterval: { value: 0.92, n: 50 } });
      // The test split alone (10 of 10) would have passed on its observed recall.
      expect(evaluation.status).toBe('rejected');
      expect(evaluation.reason).toBe(
        '5-fold cross-validation, 110 images: Bad recall 0.920 on 50 test images could be as low as 0.812 (95 % lower bound), under the minimum 0.9',
      );
      // The summary carries the test split's own intervals: 22 of 22 right, 10 of 10 Bad.
      expect(evaluation.summary).toMatchObject({ accuracy: 1, testImages: 22, badRecall: 1 });
      expect(evaluation.summary.accuracyInterval?.lower).toBeCloseTo(0.851, 3);
      expect(evaluation.summary.badRecallInterval?.lower).toBeCloseTo(0.722, 3);
      expect(evaluation.summary.badRecallInterval?.upper).toBeCloseTo(1, 6);
    });

    it('passes a recall the pooled images can show, and says which figures the gates judged', () => {
      const evaluation = evaluateCandidate(
        { labels, validation: test, test, production: null, crossValidation: rounds(0) },
        gates,
      );
      expect(evaluation.status).toBe('candidate');
      expect(evaluation.warnings).toEqual([
        "the class gates judged 5-fold cross-validation over all 110 labeled images (each predicted once by a model that never trained on it); the other figures are the candidate's on its 22 test images",
        'only 12 test images of Good: its recall 100.0 % could be anywhere from 75.8 % to 100.0 % (95 %); label more Good images for a figure to rely on',
        'only 10 test images of Bad: its recall 100.0 % could be anywhere from 72.2 % to 100.0 % (95 %); label more Bad images for a figure to rely on',
      ]);
    });
  });
});
