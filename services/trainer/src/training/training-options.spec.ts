import { HYDRA_CNN_MAX_PIXELS, type TrainingOptions, trainingOptions } from '@hydra/contracts';
import { plotInput, resolveTrainingOptions, trainModelOptions } from './training-options';

describe('resolveTrainingOptions', () => {
  it('fills what nobody set from the architecture', () => {
    expect(resolveTrainingOptions({}, {})).toEqual({
      architecture: 'hydra-cnn',
      epochs: 40,
      batchSize: 16,
      learningRate: 3e-3,
      optimizer: 'adam',
      balancing: 'resample',
      parentModelId: null,
      startFrom: 'base',
      inputs: [
        { height: 72, width: 96, channels: 3 },
        { height: 72, width: 96, channels: 3, goodReference: { nearest: 11, gain: 10 } },
      ],
      widthMultiplier: 1,
      patience: 8,
      seed: 1,
      learningRateDecay: { factor: 0.5, patience: 3 },
      augmentation: { maxShift: 0, ink: 0.3 },
      crossValidationFolds: 5,
    });
  });

  it('takes the folds of cross-validation from the request over the plot type, and refuses a bad number', () => {
    expect(resolveTrainingOptions({ crossValidationFolds: 0 }, {}).crossValidationFolds).toBe(0);
    expect(
      resolveTrainingOptions({ crossValidationFolds: 0 }, { crossValidationFolds: 8 }).crossValidationFolds,
    ).toBe(8);
    expect(() => resolveTrainingOptions({ crossValidationFolds: 2 }, {})).toThrow(
      'crossValidationFolds is 0 (off) or 3 to 10',
    );
  });

  it('starts hydra-cnn from the base unless told otherwise, and every other start from scratch', () => {
    const parentModelId = '00000000-0000-4000-8000-000000000001';
    expect(resolveTrainingOptions({ startFrom: 'scratch' }, {}).startFrom).toBe('scratch');
    expect(resolveTrainingOptions({ startFrom: 'scratch' }, { startFrom: 'base' }).startFrom).toBe('base');
    expect(resolveTrainingOptions({ startFrom: 'base' }, { architecture: 'mobilenet-v2' }).startFrom).toBe(
      'scratch',
    );
    expect(resolveTrainingOptions({}, { parentModelId }).startFrom).toBe('scratch');
  });

  it('feeds a model the median residual where the request or the plot type asks for it, and lets a new hydra-cnn try the Good reference otherwise', () => {
    const residuals = (defaults: TrainingOptions, requested: TrainingOptions) =>
      resolveTrainingOptions(defaults, requested).inputs.map((input) => input.medianResidual?.window ?? 0);
    const references = (defaults: TrainingOptions, requested: TrainingOptions) =>
      resolveTrainingOptions(defaults, requested).inputs.map((input) => Boolean(input.goodReference));
    expect(references({}, {})).toEqual([false, true]);
    expect(residuals({}, {})).toEqual([0, 0]);
    // Either option set chooses the one input, the other off.
    expect(references({ goodReference: true }, {})).toEqual([true]);
    expect(references({ goodReference: true }, { goodReference: false })).toEqual([false]);
    expect(references({}, { medianResidual: 5 })).toEqual([false]);
    expect(resolveTrainingOptions({}, { goodReference: true, medianResidual: 5 }).inputs).toEqual([
      {
        height: 72,
        width: 96,
        channels: 3,
        medianResidual: { window: 5, gain: 10 },
        goodReference: { nearest: 11, gain: 10 },
      },
    ]);
    expect(references({}, { architecture: 'mobilenet-v2' })).toEqual([false]);
    expect(references({}, { parentModelId: '00000000-0000-4000-8000-000000000001' })).toEqual([false]);
    expect(residuals({ medianResidual: 5 }, {})).toEqual([5]);
    expect(residuals({ medianResidual: 5 }, { medianResidual: 0 })).toEqual([0]);
    expect(residuals({}, { architecture: 'mobilenet-v2', medianResidual: 3 })).toEqual([3]);
    expect(residuals({}, { architecture: 'mobilenet-v2' })).toEqual([0]);
    expect(residuals({}, { parentModelId: '00000000-0000-4000-8000-000000000001' })).toEqual([0]);
    expect(resolveTrainingOptions({}, { medianResidual: 7 }).inputs[0]?.medianResidual).toEqual({
      window: 7,
      gain: 10,
    });
    expect(trainingOptions.safeParse({ medianResidual: 4 }).error?.message).toContain(
      'the median-residual window must be odd',
    );
    expect(trainingOptions.safeParse({ medianResidual: 11 }).success).toBe(false);
  });

  it('lets the request override the plot type, and the plot type the architecture', () => {
    const options = resolveTrainingOptions(
      { architecture: 'inception-v3', epochs: 30, balancing: 'weighted-loss' },
      { epochs: 7, input: { height: 120, width: 160 } },
    );
    expect(options).toMatchObject({
      architecture: 'inception-v3',
      epochs: 7,
      optimizer: 'sgd',
      learningRate: 0.01,
      balancing: 'weighted-loss',
      inputs: [{ height: 120, width: 160, channels: 3 }],
      learningRateDecay: null,
      augmentation: null,
    });
  });

  it('gives trainModel the recipe, decay and augmentation included only where the architecture has them', () => {
    expect(trainModelOptions(resolveTrainingOptions({}, { seed: 4 }), 1)).toEqual({
      epochs: 40,
      batchSize: 16,
      learningRate: 3e-3,
      optimizer: 'adam',
      balancing: 'resample',
      referenceClass: 1,
      earlyStopping: { patience: 8, minDelta: 0.005 },
      seed: 4,
      learningRateDecay: { factor: 0.5, patience: 3 },
      augmentation: { maxShift: 0, ink: 0.3 },
    });
    const inception = trainModelOptions(resolveTrainingOptions({ architecture: 'inception-v3' }, {}), 0);
    expect(inception).not.toHaveProperty('learningRateDecay');
    expect(inception).not.toHaveProperty('augmentation');
  });

  it('refuses invalid plot-type defaults with the reason', () => {
    expect(() => resolveTrainingOptions({ epochs: -1 }, {})).toThrow('training defaults are invalid');
  });
});

describe('plotInput', () => {
  it('keeps the plot’s aspect ratio within hydra-cnn’s pixel budget, in multiples of 8', () => {
    expect(plotInput('hydra-cnn', { width: 400, height: 300 })).toEqual({ height: 72, width: 96 });
    const wide = plotInput('hydra-cnn', { width: 1000, height: 400 });
    expect(wide).toEqual({ height: 48, width: 128 });
    expect(wide.height * wide.width).toBeLessThanOrEqual(HYDRA_CNN_MAX_PIXELS);
  });

  it('never enlarges a small plot, and leaves the fixed-input architectures alone', () => {
    expect(plotInput('hydra-cnn', { width: 64, height: 44 })).toEqual({ height: 40, width: 64 });
    expect(plotInput('inception-v3', { width: 400, height: 300 })).toEqual({ height: 299, width: 299 });
    expect(plotInput('hydra-cnn')).toEqual({ height: 72, width: 96 });
  });

  it('is the default input when the plot type’s size is known and nobody asked for one', () => {
    expect(resolveTrainingOptions({}, {}, { width: 800, height: 400 }).inputs[1]).toMatchObject({
      height: 56,
      width: 112,
      channels: 3,
    });
    expect(
      resolveTrainingOptions({}, { input: { height: 32, width: 32 } }, { width: 800, height: 400 }).inputs[0],
    ).toMatchObject({ height: 32, width: 32, channels: 3 });
  });
});
