import type { ValidationReport } from '@hydra/ml';
import { z } from 'zod';

/** What a candidate must show before it may be promoted (per plot type, `plot_type.training_gates`). */
export const trainingGates = z.object({
  /** Test images every class needs for its numbers to mean anything. */
  minTestPerClass: z.number().int().nonnegative().default(3),
  /** Recall of the Bad class on the test images. */
  minBadRecall: z.number().min(0).max(1).default(0.5),
  /** Accuracy the candidate may lose against production on the same images. */
  maxRegression: z.number().min(0).max(1).default(0.02),
});
export type TrainingGates = z.infer<typeof trainingGates>;

const BAD = 'Bad';

/** Every gate the candidate fails, each as a sentence for the model library; empty when it passes. */
export function gateFailures(
  candidate: ValidationReport,
  production: ValidationReport | null,
  gates: TrainingGates,
): string[] {
  const failures: string[] = [];
  for (const metrics of candidate.perClass) {
    if (metrics.support < gates.minTestPerClass)
      failures.push(
        `only ${metrics.support} test images of ${metrics.label} (at least ${gates.minTestPerClass} needed)`,
      );
  }
  const bad = candidate.perClass.find((metrics) => metrics.label === BAD);
  if (bad && bad.support > 0 && bad.recall < gates.minBadRecall)
    failures.push(`Bad recall ${bad.recall.toFixed(3)} is under the minimum ${gates.minBadRecall}`);
  if (production && candidate.accuracy < production.accuracy - gates.maxRegression) {
    failures.push(
      `accuracy ${candidate.accuracy.toFixed(3)} is more than ${gates.maxRegression} below production's ${production.accuracy.toFixed(3)} on the same images`,
    );
  }
  return failures;
}
