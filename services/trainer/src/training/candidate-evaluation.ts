import type { ModelMetricsSummary } from '@hydra/contracts';
import { maxF1Thresholds, validationReport } from '@hydra/ml';
import { gateFailures, type TrainingGates } from './gates';

/** What the trainer knows after training: expert labels and each model's probabilities, per split. */
export interface CandidatePredictions {
  labels: string[];
  validation: { truth: number[]; probabilities: number[][] };
  test: { truth: number[]; probabilities: number[][] };
  /** Production's probabilities on the same test images, in the candidate's label order. */
  production: { modelId: string; probabilities: number[][] } | null;
}

/**
 * A candidate's report, thresholds and gate verdict: everything the model row and the
 * `model.trained` event say about its quality.
 */
export function evaluateCandidate(predictions: CandidatePredictions, gates: TrainingGates) {
  const { labels, validation, test } = predictions;
  const report = validationReport(labels, test.truth, test.probabilities);
  const thresholds = maxF1Thresholds(labels, validation.truth, validation.probabilities);
  const production = predictions.production && {
    modelId: predictions.production.modelId,
    report: validationReport(labels, test.truth, predictions.production.probabilities),
  };
  const failures = gateFailures(report, production?.report ?? null, gates);
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
    summary,
    status: failures.length === 0 ? ('candidate' as const) : ('rejected' as const),
    reason: failures.length === 0 ? null : failures.join('; '),
  };
}
