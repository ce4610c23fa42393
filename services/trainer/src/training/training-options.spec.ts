import { resolveTrainingOptions } from './training-options';

describe('resolveTrainingOptions', () => {
  it('fills what nobody set from the architecture', () => {
    expect(resolveTrainingOptions({}, {})).toEqual({
      architecture: 'hydra-cnn',
      epochs: 20,
      batchSize: 16,
      learningRate: 3e-3,
      optimizer: 'adam',
      balancing: 'resample',
      parentModelId: null,
      input: { height: 72, width: 96, channels: 3 },
      widthMultiplier: 1,
      patience: 5,
      seed: 1,
    });
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
      input: { height: 120, width: 160, channels: 3 },
    });
  });

  it('refuses invalid plot-type defaults with the reason', () => {
    expect(() => resolveTrainingOptions({ epochs: -1 }, {})).toThrow('training defaults are invalid');
  });
});
