import type { ModelMetricsSummary } from '@hydra/contracts';
import {
  applyTemperature,
  checkGates,
  maxF1Thresholds,
  pairedAccuracyDifference,
  temperatureScaling,
  type ValidationReport,
  validationReport,
} from '@hydra/ml';
import type { TrainingGates } from './gates';

/** What the trainer knows after training: expert labels and each model's probabilities, per split. */
export interface CandidatePredictions {
  labels: string[];
  validation: { truth: number[]; probabilities: number[][] };
  test: { truth: number[]; probabilities: number[][] };
  /** Production's (served, so calibrated) probabilities on the same test images, in the candidate's label order. */
  production: { modelId: string; probabilities: number[][] } | null;
}

/** A class with fewer test images than this gets a warning: its figures' 95 % intervals are wide. */
export const FEW_TEST_IMAGES = 30;

/** The report's confidence bins, also used for the calibration error before and after scaling. */
const BINS = 10;

/**
 * A candidate's report, calibration, thresholds and gate verdict: everything the model row and
 * the `model.trained` event say about its quality. The temperature is fitted on the validation
 * split and judged on the test split; the report, the thresholds and serving all use the
 * calibrated probabilities, so a threshold means at serving what it meant here.
 */
export function evaluateCandidate(predictions: CandidatePredictions, gates: TrainingGates) {
  const { labels, validation, test } = predictions;
  const scaling = temperatureScaling(
    { truth: validation.truth, outputs: validation.probabilities },
    { truth: test.truth, outputs: test.probabilities },
    { bins: BINS },
  );
  const { temperature } = scaling;
  const calibrate = (rows: number[][]) => (temperature === 1 ? rows : applyTemperature(rows, temperature));
  const calibrated = { validation: calibrate(validation.probabilities), test: calibrate(test.probabilities) };
  const report: ValidationReport = {
    ...validationReport(labels, test.truth, calibrated.test, BINS),
    temperatureScaling: scaling,
  };
  const thresholds = maxF1Thresholds(labels, validation.truth, calibrated.validation);
  const production = predictions.production && {
    modelId: predictions.production.modelId,
    report: validationReport(labels, test.truth, predictions.production.probabilities, BINS),
    // Both models' verdicts on each image: a far narrower interval than two separate accuracies.
    regression: pairedAccuracyDifference(test.truth, calibrated.test, predictions.production.probabilities),
  };
  const { failures, warnings } = checkGates(report, production?.report ?? null, gates, {
    regression: production?.regression,
  });
  warnings.push(...fewTestImages(report));
  const summary: ModelMetricsSummary = {
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    badRecall: report.perClass.find((metrics) => metrics.label === 'Bad')?.recall ?? null,
    testImages: report.count,
  };
  return {
    report,
    production,
    thresholds,
    temperature,
    calibrated,
    warnings,
    summary,
    status: failures.length === 0 ? ('candidate' as const) : ('rejected' as const),
    reason: failures.length === 0 ? null : failures.join('; '),
  };
}

/** Where the data are few, the report says how little the figures pin down. */
function fewTestImages(report: ValidationReport): string[] {
  return report.perClass.flatMap(({ label, support, recall, recallInterval }) =>
    support > 0 && support < FEW_TEST_IMAGES && recallInterval
      ? [
          `only ${support} test images of ${label}: its recall ${percent(recall)} could be anywhere from ${percent(recallInterval.lower)} to ${percent(recallInterval.upper)} (95 %); label more ${label} images for a figure to rely on`,
        ]
      : [],
  );
}

function percent(value: number): string {
  return `${(100 * value).toFixed(1)} %`;
}
