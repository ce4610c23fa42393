import { FEW_TEST_IMAGES, type ModelMetricsSummary } from '@hydra/contracts';
import {
  applyTemperature,
  checkGates,
  maxF1Thresholds,
  pairedAccuracyDifference,
  pooledReport,
  type ProportionInterval,
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
  /** Where the data are few: each k-fold round's test fold, expert labels and that round's model's probabilities. */
  crossValidation: { truth: number[]; probabilities: number[][] }[] | null;
}

/** The report over every labeled image, each predicted once by the round's model that never trained on it. */
export type CrossValidationReport = ValidationReport & { folds: number };

/** The report's confidence bins, also used for the calibration error before and after scaling. */
const BINS = 10;

/**
 * A candidate's report, calibration, thresholds and gate verdict: everything the model row and
 * the `model.trained` event say about its quality. The temperature is fitted on the validation
 * split and judged on the test split; the report, the thresholds and serving all use the
 * calibrated probabilities, so a threshold means at serving what it meant here.
 * Where the run cross-validated, the gates judge the pooled rounds (uncalibrated: a temperature
 * moves no verdict), whose intervals span every labeled image rather than the test split's few;
 * the regression against production stays paired on the test split, where both models answered.
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
  const crossValidation: CrossValidationReport | null = predictions.crossValidation && {
    folds: predictions.crossValidation.length,
    ...pooledReport(labels, predictions.crossValidation, BINS),
  };
  // The class gates on the fullest figures there are; the regression on the images both models answered.
  const classGates = checkGates(crossValidation ?? report, null, gates);
  const regressionGate = production
    ? checkGates(
        report,
        production.report,
        { ...gates, minTestPerClass: 0, minBadRecall: 0 },
        {
          regression: production.regression,
        },
      )
    : { failures: [], warnings: [] };
  const source = crossValidation ? crossValidated(crossValidation) : '';
  const failures = [...classGates.failures.map((failure) => source + failure), ...regressionGate.failures];
  const warnings = [
    ...(crossValidation
      ? [
          `the class gates judged ${crossValidation.folds}-fold cross-validation over all ${crossValidation.count} labeled images (each predicted once by a model that never trained on it); the other figures are the candidate's on its ${report.count} test images`,
        ]
      : []),
    ...classGates.warnings.map((warning) => source + warning),
    ...regressionGate.warnings,
    ...fewTestImages(report, 'test images', ''),
    ...(crossValidation ? fewTestImages(crossValidation, 'labeled images', source) : []),
  ];
  const bad = report.perClass.find((metrics) => metrics.label === 'Bad');
  const bounds = ({ lower, upper }: ProportionInterval) => ({ lower, upper });
  const summary: ModelMetricsSummary = {
    accuracy: report.accuracy,
    accuracyInterval: report.accuracyInterval && bounds(report.accuracyInterval),
    macroF1: report.macroF1,
    badRecall: bad?.recall ?? null,
    badRecallInterval: bad?.recallInterval ? bounds(bad.recallInterval) : null,
    testImages: report.count,
  };
  return {
    report,
    crossValidation,
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
function fewTestImages(report: ValidationReport, images: string, source: string): string[] {
  return report.perClass.flatMap(({ label, support, recall, recallInterval }) =>
    support > 0 && support < FEW_TEST_IMAGES && recallInterval
      ? [
          `${source}only ${support} ${images} of ${label}: its recall ${percent(recall)} could be anywhere from ${percent(recallInterval.lower)} to ${percent(recallInterval.upper)} (95 %); label more ${label} images for a figure to rely on`,
        ]
      : [],
  );
}

/** What a message about the cross-validated figures opens with, so none is taken for the test split's. */
function crossValidated(report: CrossValidationReport): string {
  return `${report.folds}-fold cross-validation, ${report.count} images: `;
}

function percent(value: number): string {
  return `${(100 * value).toFixed(1)} %`;
}
