import { phaseText } from './training-progress';

describe('the phase beside the epoch bar', () => {
  it('names the model whose epochs the bar counts', () => {
    expect(phaseText('training', { candidate: 2, totalCandidates: 2 })).toBe('training, candidate 2/2');
    expect(phaseText('cross-validating', { candidate: 2, totalCandidates: 2, fold: 3, totalFolds: 5 })).toBe(
      'cross-validating, fold 3/5',
    );
    expect(phaseText('training', { candidate: null, totalCandidates: null })).toBe('training');
    expect(phaseText('queued', {})).toBe('queued');
  });
});
