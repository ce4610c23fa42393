import { checkGates, pairedAccuracyDifference, supportWarnings } from './gate-check';
import { validationReport } from './validation-report';

const labels = ['Good', 'Bad'];
const gates = { minTestPerClass: 3, minBadRecall: 0.9, maxRegression: 0.02 };
const SURE_GOOD = [0.9, 0.1];
const SURE_BAD = [0.1, 0.9];

/** Test predictions with the given number of right verdicts per class. */
function predictions(good: { right: number; of: number }, bad: { right: number; of: number }) {
  const truth = [...new Array<number>(good.of).fill(0), ...new Array<number>(bad.of).fill(1)];
  const probabilities = [
    ...Array.from({ length: good.of }, (_, index) => (index < good.right ? SURE_GOOD : SURE_BAD)),
    ...Array.from({ length: bad.of }, (_, index) => (index < bad.right ? SURE_BAD : SURE_GOOD)),
  ];
  return { truth, probabilities };
}

function report(good: { right: number; of: number }, bad: { right: number; of: number }) {
  const { truth, probabilities } = predictions(good, bad);
  return validationReport(labels, truth, probabilities);
}

describe('quality gates on lower bounds', () => {
  it('passes a candidate whose test images show the gates', () => {
    expect(checkGates(report({ right: 98, of: 100 }, { right: 80, of: 80 }), null, gates)).toEqual({
      failures: [],
      warnings: [],
    });
  });

  it('judges a gate too few test images can show on its point estimate, and says the split is too small', () => {
    const warning =
      '10 test images of Bad cannot show a recall of at least 0.9: even 10 of 10 right has a 95 % lower bound of 0.722; at least 35 are needed; the gate judged the observed recall';
    expect(checkGates(report({ right: 40, of: 40 }, { right: 10, of: 10 }), null, gates)).toEqual({
      failures: [],
      warnings: [warning],
    });
    expect(checkGates(report({ right: 40, of: 40 }, { right: 8, of: 10 }), null, gates)).toEqual({
      failures: ['Bad recall 0.800 on 10 test images is under the minimum 0.9'],
      warnings: [warning],
    });
  });

  it('fails a Bad recall whose point estimate passes but whose lower bound does not', () => {
    const { failures, warnings } = checkGates(
      report({ right: 60, of: 60 }, { right: 46, of: 50 }),
      null,
      gates,
    );
    expect(failures).toEqual([
      'Bad recall 0.920 on 50 test images could be as low as 0.812 (95 % lower bound), under the minimum 0.9',
    ]);
    expect(warnings).toEqual([]);
  });

  it('still counts the test images of every class', () => {
    const { failures } = checkGates(report({ right: 2, of: 2 }, { right: 80, of: 80 }), null, gates);
    expect(failures).toEqual(['only 2 test images of Good (at least 3 needed)']);
  });

  it('reads reports written before intervals existed', () => {
    const candidate = report({ right: 40, of: 40 }, { right: 10, of: 10 });
    const older = {
      ...candidate,
      perClass: candidate.perClass.map(({ recallInterval: _, precisionInterval: __, ...metrics }) => metrics),
    };
    expect(checkGates(older, null, gates)).toEqual(checkGates(candidate, null, gates));
  });

  it('warns about nothing when the gate asks for nothing', () => {
    expect(
      supportWarnings(report({ right: 1, of: 1 }, { right: 1, of: 1 }), { ...gates, minBadRecall: 0 }),
    ).toEqual([]);
  });
});

describe('regression against production', () => {
  const regressionGates = { ...gates, minBadRecall: 0.5 };
  const good = { right: 100, of: 100 };
  const bad = { right: 100, of: 100 };
  const test = predictions(good, bad);

  it('matches the textbook paired interval', () => {
    // Fagerland et al., the Cavo et al. (2012) table: 59 both, 6 first only, 16 second only, 80 neither.
    const pairs = [
      ...new Array<[boolean, boolean]>(59).fill([true, true]),
      ...new Array<[boolean, boolean]>(6).fill([true, false]),
      ...new Array<[boolean, boolean]>(16).fill([false, true]),
      ...new Array<[boolean, boolean]>(80).fill([false, false]),
    ];
    const right = (isRight: boolean) => (isRight ? SURE_GOOD : SURE_BAD);
    const difference = pairedAccuracyDifference(
      pairs.map(() => 0),
      pairs.map(([first]) => right(first)),
      pairs.map(([, second]) => right(second)),
    );
    expect(difference).toMatchObject({ n: 161, candidateOnly: 6, productionOnly: 16 });
    expect(difference.value).toBeCloseTo(-0.0621, 4);
    expect(difference.lower).toBeCloseTo(-0.1186, 4);
    expect(difference.upper).toBeCloseTo(-0.0046, 4);
  });

  it('passes a candidate that agrees with production on every one of enough images', () => {
    const difference = pairedAccuracyDifference(test.truth, test.probabilities, test.probabilities);
    expect(difference).toMatchObject({ value: 0, n: 200, candidateOnly: 0, productionOnly: 0 });
    // Both 200 of 200: each could still be as low as the Wilson bound 200 / (200 + z²) ≈ 0.981.
    expect(difference.lower).toBeCloseTo(-0.0188, 4);
    expect(difference.upper).toBeCloseTo(0.0188, 4);
    const candidate = report(good, bad);
    expect(checkGates(candidate, candidate, gates, { regression: difference }).failures).toEqual([]);
  });

  it('fails a candidate that could lose more than the margin', () => {
    const candidate = predictions(good, { right: 94, of: 100 });
    const difference = pairedAccuracyDifference(test.truth, candidate.probabilities, test.probabilities);
    const { failures, warnings } = checkGates(
      report(good, { right: 94, of: 100 }),
      report(good, bad),
      regressionGates,
      { regression: difference },
    );
    expect(difference.value).toBeCloseTo(-0.03);
    expect(failures).toEqual([
      `accuracy could be up to ${(-difference.lower).toFixed(3)} below production's on the same 200 images (95 % bound; observed -0.030), more than the allowed 0.02`,
    ]);
    expect(-difference.lower).toBeGreaterThan(0.03);
    expect(warnings).toEqual([]);
  });

  it('judges the observed difference, and says so, on too few images to show the margin', () => {
    const all = { right: 20, of: 20 };
    const production = predictions(all, all);
    const check = (badRight: number) => {
      const candidate = predictions(all, { right: badRight, of: 20 });
      return checkGates(report(all, { right: badRight, of: 20 }), report(all, all), regressionGates, {
        regression: pairedAccuracyDifference(
          production.truth,
          candidate.probabilities,
          production.probabilities,
        ),
      });
    };
    const warning = (observed: string) =>
      `40 test images cannot show that the candidate loses at most 0.02 against production (at least 189 are needed); the gate judged the observed difference ${observed}`;
    expect(check(20)).toEqual({ failures: [], warnings: [warning('+0.000')] });
    expect(check(18)).toEqual({
      failures: ["accuracy is 0.050 below production's on the same 40 images, more than the allowed 0.02"],
      warnings: [warning('-0.050')],
    });
  });

  it('compares point estimates, and says so, without paired predictions', () => {
    const { failures, warnings } = checkGates(
      report(good, { right: 94, of: 100 }),
      report(good, bad),
      regressionGates,
    );
    expect(failures).toEqual([
      "accuracy 0.970 is more than 0.02 below production's 1.000 on the same images",
    ]);
    expect(warnings).toEqual([
      'no paired comparison with production: the regression gate compared point estimates',
    ]);
  });
});
