import { describe, expect, it } from 'vitest';
import { estimateText, isSlow } from './training-estimate';

const inception = {
  architecture: 'inception-v3',
  input: { height: 299, width: 299 },
  images: 290,
  secondsPerImage: 1.3,
  secondsPerEpoch: 283,
  candidates: 1,
  crossValidation: null,
} as const;

const small = {
  ...inception,
  architecture: 'hydra-cnn',
  input: { height: 72, width: 96 },
  secondsPerImage: 0.0115,
  secondsPerEpoch: 2.5,
} as const;

describe('the training estimate', () => {
  it('says the time per epoch and what it comes from', () => {
    expect(estimateText(inception)).toBe(
      'About 4 min 43 s per epoch: 290 labeled images at 1.3 s each (inception-v3 at 299×299).',
    );
  });

  it('gives a small model its milliseconds', () => {
    expect(estimateText(small)).toMatch(/^About 3 s per epoch: 290 labeled images at 12 ms each \(/);
  });

  it('counts the candidates where the trainer trains one without and one with the median residual', () => {
    expect(estimateText({ ...small, secondsPerEpoch: 5, candidates: 2 })).toBe(
      'About 5 s per epoch: 290 labeled images at 12 ms each, for each of 2 candidate inputs, the lower validation loss kept (hydra-cnn at 72×96).',
    );
  });

  it('says what cross-validation adds where the images are few', () => {
    expect(estimateText({ ...inception, crossValidation: { folds: 5, secondsPerEpoch: 1258 } })).toBe(
      'About 4 min 43 s per epoch: 290 labeled images at 1.3 s each (inception-v3 at 299×299). Few images per class: 5-fold cross-validation adds about 20 min 58 s per epoch.',
    );
  });

  it('counts the cross-validation rounds when it judges a run slow', () => {
    expect(isSlow(inception)).toBe(false);
    expect(isSlow({ ...inception, crossValidation: { folds: 5, secondsPerEpoch: 1258 } })).toBe(true);
    expect(isSlow({ ...inception, secondsPerEpoch: 601 })).toBe(true);
  });

  it('asks for labels when there are none', () => {
    expect(estimateText({ ...inception, images: 0, secondsPerEpoch: 0 })).toMatch(/^No labeled images yet/);
  });
});
