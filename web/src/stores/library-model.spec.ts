import { describe, expect, it } from 'vitest';
import {
  applyProgress,
  candidatesText,
  confusionCells,
  formatDifference,
  histogramPeak,
  type ModelListing,
  progressPercent,
  progressText,
  queuedState,
  reliabilityPoints,
  sortModels,
  stateFromJob,
  type TrainingJob,
} from './library-model';

const JOB = '00000000-0000-4000-8000-000000000001';
const event = (phase: string, epoch: number | null, extra: Record<string, number | boolean | null> = {}) =>
  ({
    phase,
    epoch,
    totalEpochs: epoch === null ? null : 6,
    loss: null,
    valAccuracy: null,
    etaS: null,
    ...extra,
  }) as Parameters<typeof applyProgress>[1];

describe('training progress', () => {
  it('advances through the phases, epoch by epoch, keeping the numbers later phases leave out', () => {
    let state = queuedState({ id: JOB, plotType: 'FCAL' });
    expect(state.percent).toBe(0);
    state = applyProgress(state, event('preparing', null));
    expect(state.percent).toBe(3);
    state = applyProgress(state, event('training', 3, { loss: 0.5, valAccuracy: 0.8, etaS: 12 }));
    expect(state).toMatchObject({ phase: 'training', epoch: 3, totalEpochs: 6, percent: 48, etaS: 12 });
    expect(progressText(state)).toBe(
      'training · epoch 3/6 · loss 0.500 · validation accuracy 80.0 % · ETA 12 s',
    );
    state = applyProgress(state, event('validating', null));
    expect(state).toMatchObject({
      phase: 'validating',
      epoch: 3,
      loss: 0.5,
      valAccuracy: 0.8,
      etaS: null,
      percent: 92,
    });
    state = applyProgress(state, event('done', null));
    expect(state).toMatchObject({ finished: true, percent: 100 });
  });

  it('never moves back on a late or redelivered event, nor after the end', () => {
    let state = applyProgress(queuedState({ id: JOB, plotType: 'FCAL' }), event('training', 5));
    expect(applyProgress(state, event('training', 2))).toBe(state);
    state = applyProgress(state, event('cancelled', null));
    expect(applyProgress(state, event('training', 6))).toBe(state);
    expect(state.finished).toBe(true);
  });

  it('gives each cross-validation round its share of the bar and names the fold, each round starting its epochs afresh', () => {
    const rounds = { totalFolds: 3 };
    let state = applyProgress(
      queuedState({ id: JOB, plotType: 'FCAL' }),
      event('training', 6, { ...rounds, fold: null }),
    );
    // The candidate and three rounds: a quarter of the training band each.
    expect(state.percent).toBe(5 + Math.round(85 / 4));
    state = applyProgress(state, event('validating', null));
    state = applyProgress(state, event('cross-validating', null, { ...rounds, fold: 2 }));
    expect(state).toMatchObject({ fold: 2, totalFolds: 3, epoch: null, percent: 5 + Math.round(85 / 2) });
    state = applyProgress(state, event('cross-validating', 3, { ...rounds, fold: 2, etaS: 4 }));
    expect(state.percent).toBe(5 + Math.round((85 * 2.5) / 4));
    expect(progressText(state)).toBe('cross-validating · fold 2/3 · epoch 3/6 · ETA 4 s');
    state = applyProgress(state, event('saving', null));
    expect(state.percent).toBe(97);
  });

  it('gives each candidate its share, names its input, and never moves back from the first candidate to the second', () => {
    const two = { totalCandidates: 2, totalFolds: 3 };
    // The trainer says "training" before it knows of the candidates: one model's share until it does.
    let state = applyProgress(queuedState({ id: JOB, plotType: 'FCAL' }), event('training', null));
    const percents = [state.percent];
    const follow = (next: Parameters<typeof applyProgress>[1]) => {
      state = applyProgress(state, next);
      percents.push(state.percent);
    };
    const alone = { medianResidual: 0, goodReference: false };
    const compared = { medianResidual: 0, goodReference: true };
    follow(event('training', null, { ...two, candidate: 1, ...alone }));
    follow(event('training', 6, { ...two, candidate: 1, ...alone, etaS: 2 }));
    // Two candidates and three rounds: the first candidate's last epoch is a fifth of the training band.
    expect(state.percent).toBe(5 + Math.round(85 / 5));
    expect(progressText(state)).toBe('training · candidate 1/2 (image alone) · epoch 6/6 · ETA 2 s');
    follow(event('training', null, { ...two, candidate: 2, ...compared }));
    expect(state).toMatchObject({ candidate: 2, epoch: null, goodReference: true });
    follow(event('training', 3, { ...two, candidate: 2, ...compared }));
    expect(state.percent).toBe(5 + Math.round((85 * 1.5) / 5));
    expect(progressText(state)).toBe('training · candidate 2/2 (Good reference) · epoch 3/6');
    follow(event('training', 4, { ...two, candidate: 2, medianResidual: 5, goodReference: true }));
    expect(progressText(state)).toBe(
      'training · candidate 2/2 (median residual 5 × 5 and Good reference) · epoch 4/6',
    );
    follow(event('validating', null));
    expect(state.percent).toBe(5 + Math.round((85 * 2) / 5));
    follow(event('cross-validating', 6, { ...two, candidate: 2, fold: 1 }));
    expect(state.percent).toBe(5 + Math.round((85 * 3) / 5));
    follow(event('cross-validating', 6, { ...two, candidate: 2, fold: 3 }));
    expect(state.percent).toBe(90);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
  });

  it('spreads the training epochs over most of the bar', () => {
    expect(progressPercent('training', 0, 10)).toBe(5);
    expect(progressPercent('training', 10, 10)).toBe(90);
    expect(progressPercent('training', null, null)).toBe(5);
  });

  it('reads a job record (a page opened mid-training, or a failed job)', () => {
    const job = (status: TrainingJob['status'], error: string | null = null): TrainingJob => ({
      id: JOB,
      plotType: 'FCAL',
      requestedBy: 'expert',
      options: {},
      status,
      progress: { phase: 'training', epoch: 2, totalEpochs: 4, loss: 0.7, valAccuracy: 0.6, etaS: 30 },
      error,
      createdAt: '',
      startedAt: null,
      finishedAt: null,
    });
    expect(stateFromJob(job('running'))).toMatchObject({
      phase: 'training',
      epoch: 2,
      percent: 48,
      finished: false,
    });
    expect(stateFromJob(job('failed', 'out of memory'))).toMatchObject({
      phase: 'failed',
      finished: true,
      error: 'out of memory',
    });
  });
});

describe('the enhanced confusion matrix', () => {
  const report = {
    labels: ['Good', 'Bad'],
    confusion: [
      [8, 2],
      [0, 0],
    ],
    confidenceHistograms: [
      [
        [0, 0, 1, 7],
        [2, 0, 0, 0],
      ],
      [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ],
    ],
  };

  it('gives each cell its count, its share of the row and its confidence histogram', () => {
    const cells = confusionCells(report);
    expect(cells).toHaveLength(4);
    expect(cells[0]).toMatchObject({
      truth: 'Good',
      predicted: 'Good',
      count: 8,
      rowShare: 0.8,
      diagonal: true,
    });
    expect(cells[0]?.histogram).toEqual([0, 0, 1, 7]);
    expect(cells[0]?.binEdges).toEqual([0, 0.25, 0.5, 0.75]);
    expect(cells[1]).toMatchObject({
      truth: 'Good',
      predicted: 'Bad',
      count: 2,
      rowShare: 0.2,
      diagonal: false,
    });
    // An empty row shares nothing rather than dividing by zero.
    expect(cells[3]).toMatchObject({ count: 0, rowShare: 0 });
    expect(histogramPeak(cells)).toBe(7);
  });

  it('draws empty histograms for a report without them', () => {
    const cells = confusionCells({ ...report, confidenceHistograms: [] });
    expect(cells[0]?.histogram).toEqual(new Array(10).fill(0));
    expect(histogramPeak(cells)).toBe(1);
  });
});

describe('charts and lists', () => {
  it('leaves empty calibration bins out of the accuracy line', () => {
    const points = reliabilityPoints([
      { lower: 0, upper: 0.5, count: 0, meanConfidence: 0, accuracy: 0 },
      { lower: 0.5, upper: 1, count: 4, meanConfidence: 0.8, accuracy: 0.75 },
    ]);
    expect(points.map((point) => point.accuracy)).toEqual([null, 0.75]);
    expect(points[1]).toMatchObject({ range: '0.5–1.0', centre: 0.75, count: 4 });
  });

  it('formats differences in points', () => {
    expect(formatDifference(0.021, 'share')).toBe('+2.1 pt');
    expect(formatDifference(-0.004, 'share')).toBe('−0.4 pt');
    expect(formatDifference(3, 'count')).toBe('+3');
    expect(formatDifference(undefined, 'share')).toBe('—');
  });

  it('puts production first, then candidates, rejected and retired, newest first', () => {
    const model = (id: string, status: ModelListing['status'], createdAt: string, production = false) =>
      ({ id, status, createdAt, production }) as ModelListing;
    const sorted = sortModels([
      model('old-candidate', 'candidate', '2026-01-01'),
      model('retired', 'retired', '2026-01-05'),
      model('new-candidate', 'candidate', '2026-01-04'),
      model('production', 'candidate', '2025-12-01', true),
      model('rejected', 'rejected', '2026-01-06'),
    ]);
    expect(sorted.map((entry) => entry.id)).toEqual([
      'production',
      'new-candidate',
      'old-candidate',
      'rejected',
      'retired',
    ]);
  });
});

describe('the candidates the trainer chose between', () => {
  it('names each with its validation loss and marks the lowest, the first on a tie, as kept', () => {
    const tried = (losses: number[]) =>
      losses.map((validationLoss, index) => ({
        medianResidual: 0,
        goodReference: index > 0,
        validationLoss,
        bestEpoch: 3,
      }));
    expect(candidatesText(tried([0.3121, 0.2049]))).toBe(
      'input chosen by validation loss: image alone 0.312, Good reference 0.205 (kept)',
    );
    expect(candidatesText(tried([0.2, 0.2]))).toBe(
      'input chosen by validation loss: image alone 0.200 (kept), Good reference 0.200',
    );
    // A model trained before the Good reference recorded the median-residual windows alone.
    expect(
      candidatesText([
        { medianResidual: 0, validationLoss: null, bestEpoch: -1 },
        { medianResidual: 5, validationLoss: 0.2, bestEpoch: 3 },
      ]),
    ).toBe('input chosen by validation loss: image alone —, median residual 5 × 5 0.200 (kept)');
  });
});
