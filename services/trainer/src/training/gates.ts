import type { QualityGates } from '@hydra/ml';
import { z } from 'zod';

/**
 * What a candidate must show before it may be promoted (per plot type, `plot_type.training_gates`);
 * candidate-evaluation checks them on 95 % lower bounds (checkGates).
 */
export const trainingGates = z.object({
  /** Test images every class needs for its numbers to mean anything. */
  minTestPerClass: z.number().int().nonnegative().default(3),
  /** Recall of the Bad class the test images must show (its 95 % lower bound). */
  minBadRecall: z.number().min(0).max(1).default(0.5),
  /** Accuracy the candidate may lose against production on the same images. */
  maxRegression: z.number().min(0).max(1).default(0.02),
});
export type TrainingGates = z.infer<typeof trainingGates> & QualityGates;
