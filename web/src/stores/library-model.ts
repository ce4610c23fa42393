import {
  inputCandidateName,
  type ModelMetricsSummary,
  type TrainingOptions,
  type TrainingPhase,
  type TrainingProgressEvent,
} from '@hydra/contracts';

// The model library's response shapes (labeler-api's ModelLibraryService and the trainer's
// validation report, `libs/ml`), and the pure rules the Library draws them with.

export type ModelStatus = 'candidate' | 'rejected' | 'retired';

/** GET /api/plot-types/:plotType/models: one row. */
export interface ModelListing {
  id: string;
  plotType: string;
  architecture: string;
  status: ModelStatus;
  production: boolean;
  rejectionReason: string | null;
  summary: ModelMetricsSummary | null;
  trainingImages: number | null;
  parentModelId: string | null;
  trainingJobId: string | null;
  trainedBy: string;
  createdAt: string;
  promotedAt: string | null;
  promotedBy: string | null;
}

/** A proportion on `n` test images with its 95 % Wilson interval (reports from before have none). */
export interface ProportionInterval {
  value: number;
  lower: number;
  upper: number;
  n: number;
}

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  precisionInterval?: ProportionInterval;
  recallInterval?: ProportionInterval;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** The trainer's validation report on the test images. */
export interface ValidationReport {
  labels: string[];
  count: number;
  accuracy: number;
  accuracyInterval?: ProportionInterval;
  macroF1: number;
  perClass: ClassMetrics[];
  /** confusion[true][predicted] */
  confusion: number[][];
  /** Per cell, how many verdicts fell in each equal-width confidence bin. */
  confidenceHistograms: number[][][];
  calibration: { ece: number; bins: CalibrationBin[] };
  /** The temperature fitted on the validation split and the calibration error on the test split before and after it. */
  temperatureScaling?: {
    temperature: number;
    before: { ece: number; bins: CalibrationBin[] };
    after: { ece: number; bins: CalibrationBin[] };
  };
}

/** Candidate accuracy minus production's on the same test images, with its 95 % interval. */
export interface AccuracyDifference {
  value: number;
  lower: number;
  upper: number;
  n: number;
}

export interface EpochRecord {
  /** 0-based. */
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  etaS: number;
}

export interface Disagreement {
  imageId: string;
  split: string;
  /** The expert label the model was trained against. */
  label: string;
  verdict: string;
  confidence: number;
  /** The image's label now (null: unlabeled since). */
  currentLabel?: string | null;
}

/** A candidate model the trainer trained and compared by its best epoch's validation loss. */
export interface TriedCandidate {
  /** 0: none. */
  medianResidual: number;
  /** Absent in records from before it existed: none. */
  goodReference?: boolean;
  /** Null where no epoch had a finite one. */
  validationLoss: number | null;
  bestEpoch: number;
}

/** Where the labeled images were few: the pooled test folds of k-fold cross-validation, every image once. */
export type CrossValidationReport = ValidationReport & { folds: number };

export interface ModelMetrics {
  summary?: ModelMetricsSummary;
  report?: ValidationReport;
  /** The class gates judged these figures when present (more images, tighter intervals). */
  crossValidation?: CrossValidationReport | null;
  production?: { modelId: string; report: ValidationReport; regression?: AccuracyDifference } | null;
  thresholds?: Record<string, { threshold: number; f1: number }>;
  /** The temperature serving applies (1: uncalibrated). */
  temperature?: number;
  /** What the test images are too few to show. */
  warnings?: string[];
  serving?: { precision: string; reason: string | null };
  history?: EpochRecord[];
  bestEpoch?: number;
  stoppedEarly?: boolean;
  dataset?: {
    total: number;
    train: Record<string, number>;
    validation: Record<string, number>;
    test: Record<string, number>;
  };
  disagreements?: Disagreement[];
  options?: TrainingOptions & Record<string, unknown>;
  /** Where the trainer chose the input: each candidate it trained, in order. */
  candidates?: TriedCandidate[];
  /** The base the model's blocks started from (null: it did not; absent: trained before bases). */
  base?: BaseProvenance | null;
  trainingSeconds?: number;
}

/** Which base a model started from: its weights file's hash and how well it did on the simulator's plots. */
export interface BaseProvenance {
  sha256: string;
  /** 0–100 on the base's own validation plots: `all`, and one figure per plot group. */
  validationAccuracyPct: { all: number } & Record<string, number>;
}

export interface ModelThreshold {
  modelId: string;
  label: string;
  threshold: number;
  /** `max_f1` when validation chose it, else the person's name. */
  setBy: string;
  reason: string | null;
  setAt: string;
}

/** GET /api/models/:id */
export interface ModelDetail {
  id: string;
  plotType: string;
  architecture: string;
  status: ModelStatus;
  production: boolean;
  rejectionReason: string | null;
  parentModelId: string | null;
  trainingJobId: string | null;
  labels: string[];
  inputShape: number[];
  metrics: ModelMetrics;
  trainedBy: string;
  createdAt: string;
  promotedAt: string | null;
  promotedBy: string | null;
  thresholds: ModelThreshold[];
}

/** GET /api/models/compare?a=&b= */
export interface ModelComparison {
  a: ModelDetail;
  b: ModelDetail;
  /** b − a for each headline number both have. */
  difference: Record<string, number>;
}

export type TrainingJobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** GET /api/training-jobs/:id */
export interface TrainingJob {
  id: string;
  plotType: string;
  requestedBy: string;
  options: Record<string, unknown>;
  status: TrainingJobStatus;
  progress: Partial<TrainingProgressEvent> | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

// ---------------------------------------------------------------- training progress

/** What the progress bar shows for one job. */
export interface TrainingProgressState {
  jobId: string;
  plotType: string;
  phase: TrainingPhase;
  /** 1-based, the last epoch finished (kept through validating and saving). */
  epoch: number | null;
  totalEpochs: number | null;
  /** In a run that cross-validates: the round training (1-based; null before the rounds) of how many. */
  fold: number | null;
  totalFolds: number | null;
  /**
   * In a run that trains candidates of several inputs, keeping the lower validation loss: the
   * candidate training (1-based) of how many, its median-residual window (0: none) and Good reference.
   */
  candidate: number | null;
  totalCandidates: number | null;
  medianResidual: number | null;
  goodReference: boolean | null;
  loss: number | null;
  valAccuracy: number | null;
  etaS: number | null;
  /** 0–100 for the bar. */
  percent: number;
  /** done, failed or cancelled: the bar stops. */
  finished: boolean;
  /** Why it failed or who cancelled it. */
  error: string | null;
}

const FINISHED: TrainingPhase[] = ['done', 'failed', 'cancelled'];

/** Which of a run's models trains: its candidates first, then its cross-validation rounds. */
export type TrainingModels = Pick<
  TrainingProgressState,
  'fold' | 'totalFolds' | 'candidate' | 'totalCandidates'
>;

const ONE_MODEL: TrainingModels = { fold: null, totalFolds: null, candidate: null, totalCandidates: null };

/**
 * The bar's share per phase: training takes most of it, epoch by epoch. A run trains its candidates
 * (one, or one without and one with the median residual), then k cross-validation rounds where the
 * images are few, one model after the other: each gets an equal part.
 */
export function progressPercent(
  phase: TrainingPhase,
  epoch: number | null,
  totalEpochs: number | null,
  models: TrainingModels = ONE_MODEL,
): number {
  const candidates = models.totalCandidates ?? 1;
  const trainings = candidates + (models.totalFolds ?? 0);
  const trained = (count: number) => 5 + Math.round((85 * count) / trainings);
  const epochShare = epoch && totalEpochs ? Math.min(epoch, totalEpochs) / totalEpochs : 0;
  switch (phase) {
    case 'queued':
      return 0;
    case 'preparing':
      return 3;
    case 'training':
      return trained((models.candidate ?? 1) - 1 + epochShare);
    case 'validating':
      return trainings > 1 ? trained(candidates) : 92;
    case 'cross-validating':
      return trained(candidates - 1 + (models.fold ?? 1) + epochShare);
    case 'saving':
      return 97;
    default:
      return 100;
  }
}

/** A fresh job's state, as the POST answered it (queued). */
export function queuedState(job: Pick<TrainingJob, 'id' | 'plotType'>): TrainingProgressState {
  return {
    jobId: job.id,
    plotType: job.plotType,
    phase: 'queued',
    epoch: null,
    totalEpochs: null,
    fold: null,
    totalFolds: null,
    candidate: null,
    totalCandidates: null,
    medianResidual: null,
    goodReference: null,
    loss: null,
    valAccuracy: null,
    etaS: null,
    percent: 0,
    finished: false,
    error: null,
  };
}

/** The state after a `training:progress` event; numbers a later phase leaves out are kept. */
export function applyProgress(
  previous: TrainingProgressState,
  event: Pick<
    TrainingProgressEvent,
    'phase' | 'epoch' | 'totalEpochs' | 'loss' | 'valAccuracy' | 'etaS' | 'fold' | 'totalFolds'
  > &
    Partial<
      Pick<TrainingProgressEvent, 'candidate' | 'totalCandidates' | 'medianResidual' | 'goodReference'>
    >,
): TrainingProgressState {
  // A late event from an earlier phase (redelivery) never moves the bar back.
  if (previous.finished) return previous;
  const models: TrainingModels = {
    fold: event.fold ?? previous.fold,
    totalFolds: event.totalFolds ?? previous.totalFolds,
    candidate: event.candidate ?? previous.candidate,
    totalCandidates: event.totalCandidates ?? previous.totalCandidates,
  };
  // A new round or candidate starts its epochs afresh.
  const sameModel = models.fold === previous.fold && models.candidate === previous.candidate;
  const epoch = event.epoch ?? (sameModel ? previous.epoch : null);
  const totalEpochs = event.totalEpochs ?? previous.totalEpochs;
  const percent = progressPercent(event.phase, epoch, totalEpochs, models);
  if (percent < previous.percent) return previous;
  return {
    ...previous,
    ...models,
    medianResidual: event.medianResidual ?? previous.medianResidual,
    goodReference: event.goodReference ?? previous.goodReference,
    phase: event.phase,
    epoch,
    totalEpochs,
    loss: event.loss ?? previous.loss,
    valAccuracy: event.valAccuracy ?? previous.valAccuracy,
    // Each model's own: the next one's starts unknown.
    etaS:
      event.phase === 'training' || event.phase === 'cross-validating'
        ? (event.etaS ?? (sameModel ? previous.etaS : null))
        : null,
    percent,
    finished: FINISHED.includes(event.phase),
  };
}

/** The state a job's REST record says (a page opened mid-training). */
export function stateFromJob(job: TrainingJob): TrainingProgressState {
  const base = queuedState(job);
  const progress = job.progress;
  let state = progress?.phase
    ? applyProgress(base, {
        phase: progress.phase,
        epoch: progress.epoch ?? null,
        totalEpochs: progress.totalEpochs ?? null,
        fold: progress.fold ?? null,
        totalFolds: progress.totalFolds ?? null,
        candidate: progress.candidate ?? null,
        totalCandidates: progress.totalCandidates ?? null,
        medianResidual: progress.medianResidual ?? null,
        goodReference: progress.goodReference ?? null,
        loss: progress.loss ?? null,
        valAccuracy: progress.valAccuracy ?? null,
        etaS: progress.etaS ?? null,
      })
    : base;
  if (job.status === 'failed' || job.status === 'cancelled' || job.status === 'succeeded')
    state = {
      ...state,
      phase: job.status === 'succeeded' ? 'done' : job.status,
      percent: 100,
      finished: true,
      etaS: null,
    };
  return { ...state, error: job.error };
}

/** "2 min 5 s", "40 s". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(total / 60);
  return minutes > 0 ? `${minutes} min ${total % 60} s` : `${total} s`;
}

/** One line under the bar: phase, epoch, loss, validation accuracy, ETA. */
export function progressText(state: TrainingProgressState): string {
  const parts: string[] = [state.phase];
  if (state.phase === 'training' && state.candidate !== null && state.totalCandidates !== null)
    parts.push(
      `candidate ${state.candidate}/${state.totalCandidates} (${inputCandidateName({
        medianResidual: state.medianResidual ?? 0,
        goodReference: state.goodReference ?? false,
      })})`,
    );
  if (state.phase === 'cross-validating' && state.fold !== null && state.totalFolds !== null)
    parts.push(`fold ${state.fold}/${state.totalFolds}`);
  if (state.epoch !== null && state.totalEpochs !== null)
    parts.push(`epoch ${state.epoch}/${state.totalEpochs}`);
  if (state.loss !== null) parts.push(`loss ${state.loss.toFixed(3)}`);
  if (state.valAccuracy !== null) parts.push(`validation accuracy ${percent(state.valAccuracy)}`);
  if (!state.finished && state.etaS !== null) parts.push(`ETA ${formatEta(state.etaS)}`);
  if (state.error) parts.push(state.error);
  return parts.join(' · ');
}

/**
 * "input chosen by validation loss: image alone 0.312, Good reference 0.205 (kept)": the trainer
 * keeps the lowest, the first on a tie.
 */
export function candidatesText(candidates: TriedCandidate[]): string {
  const losses = candidates.map(({ validationLoss }) => validationLoss ?? Infinity);
  const kept = losses.indexOf(Math.min(...losses));
  const each = candidates.map(
    ({ medianResidual, goodReference, validationLoss }, index) =>
      `${inputCandidateName({ medianResidual, goodReference: goodReference ?? false })} ${validationLoss?.toFixed(3) ?? '—'}${index === kept ? ' (kept)' : ''}`,
  );
  return `input chosen by validation loss: ${each.join(', ')}`;
}

// ---------------------------------------------------------------- numbers and charts

export function percent(value: number | null | undefined, digits = 1): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${(value * 100).toFixed(digits)} %` : '—';
}

/** One cell of the enhanced confusion matrix: its count, its share of the row, its confidence bins. */
export interface ConfusionCell {
  /** The expert label (row). */
  truth: string;
  /** The model's verdict (column). */
  predicted: string;
  row: number;
  column: number;
  count: number;
  /** count / the row's total (recall on the diagonal); 0 for an empty row. */
  rowShare: number;
  diagonal: boolean;
  /** Verdicts per confidence bin, lowest confidence first. */
  histogram: number[];
  /** The bins' lower edges, e.g. [0, 0.1, …, 0.9]. */
  binEdges: number[];
}

/** Every cell of the matrix, row by row; histograms missing from an older report are empty. */
export function confusionCells(
  report: Pick<ValidationReport, 'labels' | 'confusion' | 'confidenceHistograms'>,
): ConfusionCell[] {
  const bins = report.confidenceHistograms[0]?.[0]?.length ?? 10;
  const binEdges = Array.from({ length: bins }, (_, bin) => bin / bins);
  return report.labels.flatMap((truth, row) => {
    const counts = report.confusion[row] ?? [];
    const total = counts.reduce((sum, value) => sum + value, 0);
    return report.labels.map((predicted, column) => {
      const count = counts[column] ?? 0;
      return {
        truth,
        predicted,
        row,
        column,
        count,
        rowShare: total ? count / total : 0,
        diagonal: row === column,
        histogram: report.confidenceHistograms[row]?.[column] ?? new Array<number>(bins).fill(0),
        binEdges,
      };
    });
  });
}

/** The tallest bin in any cell: every mini histogram shares one y scale, so cells compare. */
export function histogramPeak(cells: ConfusionCell[]): number {
  return Math.max(1, ...cells.flatMap((cell) => cell.histogram));
}

/** Loss and accuracy per epoch (1-based on the x axis), for the training curves. */
export function historySeries(history: EpochRecord[]) {
  const epochs = history.map((record) => record.epoch + 1);
  return {
    epochs,
    loss: history.map((record) => record.loss),
    valLoss: history.map((record) => record.valLoss),
    accuracy: history.map((record) => record.accuracy),
    valAccuracy: history.map((record) => record.valAccuracy),
  };
}

/** The reliability diagram's bins that hold verdicts: where accuracy should meet confidence. */
export function reliabilityPoints(bins: CalibrationBin[]) {
  return bins.map((bin) => ({
    range: `${bin.lower.toFixed(1)}–${bin.upper.toFixed(1)}`,
    centre: (bin.lower + bin.upper) / 2,
    count: bin.count,
    accuracy: bin.count ? bin.accuracy : null,
    meanConfidence: bin.count ? bin.meanConfidence : null,
  }));
}

/** Headline rows for the side-by-side comparison. */
export const SUMMARY_FIELDS: {
  key: 'accuracy' | 'macroF1' | 'badRecall' | 'testImages';
  title: string;
  kind: 'share' | 'count';
}[] = [
  { key: 'accuracy', title: 'Accuracy', kind: 'share' },
  { key: 'macroF1', title: 'Macro F1', kind: 'share' },
  { key: 'badRecall', title: 'Bad recall', kind: 'share' },
  { key: 'testImages', title: 'Test images', kind: 'count' },
];

/** "+2.1 pt", "−0.4 pt", "+3" for the difference column. */
export function formatDifference(value: number | undefined, kind: 'share' | 'count'): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  const magnitude = Math.abs(value);
  return kind === 'share' ? `${sign}${(magnitude * 100).toFixed(1)} pt` : `${sign}${magnitude}`;
}

/** Library order: production first, then candidates, rejected, retired; newest first within each. */
export function sortModels(models: ModelListing[]): ModelListing[] {
  const rank = (model: ModelListing) =>
    model.production ? 0 : { candidate: 1, rejected: 2, retired: 3 }[model.status];
  return [...models].sort((a, b) => rank(a) - rank(b) || Date.parse(b.createdAt) - Date.parse(a.createdAt));
}
