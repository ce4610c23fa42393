import type {
  BaseStart,
  EpochProgress,
  IgnoreRegion,
  InputShape,
  ModelManifest,
  ModelSpec,
  OnnxExports,
  TrainingOptions,
  TrainingResult,
} from '@hydra/ml';
import type { ObjectInfo } from '@hydra/storage';
import type { FoldExamples } from '../../dataset/cross-validation-folds';
import type { StoredExamples } from '../../dataset/stored-examples';

/**
 * What the training thread is given: everything CPU-heavy about one job. Images go by reference;
 * the thread reads them batch by batch through the service thread (which keeps the database, the
 * broker and the store).
 */
export interface TrainingWork {
  /** A fresh model of the zoo, or the weights of a model to fine-tune (fetched through the service thread). */
  start:
    | { kind: 'new'; spec: Omit<ModelSpec, 'input'>; fromBase: boolean }
    | { kind: 'fine-tune'; modelId: string; artifactPrefix: string };
  /** Output order. */
  labels: string[];
  /**
   * One candidate model per input, trained in turn; the one whose best epoch has the lowest
   * validation loss is kept, cross-validated, exported and stored. A fine-tune has its parent's.
   */
  inputs: InputShape[];
  /** Painted out of every image the model sees; recorded in its manifest for serving and Grad-CAM. */
  ignoreRegions: IgnoreRegion[];
  train: StoredExamples;
  validation: StoredExamples;
  /** Also read by the production model, at its own input size, for a like-for-like comparison. */
  test: StoredExamples;
  training: Omit<TrainingOptions, 'signal' | 'onBatch' | 'onEpoch'>;
  /** The production model, re-run on the same test images; null when there is none. */
  production: { modelId: string; artifactPrefix: string } | null;
  /** Where the candidate's artifacts go. */
  artifactPrefix: string;
  /** Cross-validation's rounds, each a model of the same recipe and start; empty when the run does not cross-validate. */
  crossValidation: FoldExamples[];
}

/** One cross-validation round's model: its outputs on its test fold (in the fold's order) and how its training went. */
export interface FoldOutcome {
  testProbabilities: number[][];
  bestEpoch: number;
  stoppedEarly: boolean;
}

/** A candidate model trained on one of the work's inputs. */
export interface TriedCandidate {
  /** Its median-residual window; 0: none. */
  medianResidual: number;
  goodReference: boolean;
  /** Its best epoch's (bestValidationLoss); null where no epoch had a finite one. */
  validationLoss: number | null;
  bestEpoch: number;
}

/** What comes back once the candidate's artifacts are stored. */
export interface TrainingWorkResult {
  backend: string;
  /** The input of the candidate kept. */
  input: InputShape;
  /** Every candidate trained, in order, where there were several; empty otherwise. */
  tried: TriedCandidate[];
  /** The base the candidate started from (start.fromBase). */
  base: BaseStart | null;
  training: TrainingResult;
  testProbabilities: number[][];
  validationProbabilities: number[][];
  /** Production's outputs on the test images, in the candidate's label order; null when not comparable. */
  production: { modelId: string; probabilities: number[][] } | null;
  serving: Pick<OnnxExports, 'serving' | 'reason' | 'comparison'>;
  manifest: ModelManifest;
  /** One per cross-validation round, in order. */
  crossValidation: FoldOutcome[];
}

export type StoreRequest =
  | { type: 'store'; id: number; op: 'get'; key: string }
  | { type: 'store'; id: number; op: 'put'; key: string; body: Uint8Array; contentType?: string };

/** Messages from the training thread to the service thread. */
export type WorkerMessage =
  | { type: 'phase'; phase: 'training' | 'validating' | 'saving' }
  | { type: 'epoch'; epoch: EpochProgress }
  /** A cross-validation round starts (1-based); the epochs after it are its model's. */
  | { type: 'fold'; fold: number; folds: number }
  /** A candidate model starts training (1-based), on an input with this median-residual window (0: none) and Good reference or not. */
  | {
      type: 'candidate';
      candidate: number;
      candidates: number;
      medianResidual: number;
      goodReference: boolean;
    }
  | { type: 'warning'; message: string }
  | StoreRequest
  | { type: 'done'; result: TrainingWorkResult }
  | { type: 'failed'; message: string };

/** Messages from the service thread to the training thread. */
export type ServiceMessage =
  | { type: 'work'; work: TrainingWork }
  | { type: 'stored'; id: number; body?: Uint8Array; info?: ObjectInfo; error?: string };
