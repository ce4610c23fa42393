import { describe, expect, it } from 'vitest';
import {
  baseOffered,
  inputPlaceholder,
  startedFrom,
  startFromOption,
  startFromPlaceholder,
} from './training-start';

const PARENT = '3f2a9c1e-7b4d-4e8a-9f0b-1c2d3e4f5a6b';
const fresh = { architecture: null, parentModelId: null, defaults: {} };

describe("the Train dialog's start from", () => {
  it('offers the base to a new hydra-cnn, chosen or by default', () => {
    expect(baseOffered(fresh)).toBe(true);
    expect(baseOffered({ ...fresh, architecture: 'hydra-cnn' })).toBe(true);
    expect(baseOffered({ ...fresh, defaults: { architecture: 'hydra-cnn' } })).toBe(true);
  });

  it('offers no base to a fine-tune or another architecture', () => {
    expect(baseOffered({ ...fresh, parentModelId: PARENT })).toBe(false);
    expect(baseOffered({ ...fresh, architecture: 'mobilenet-v2' })).toBe(false);
    expect(baseOffered({ ...fresh, defaults: { architecture: 'inception-v3' } })).toBe(false);
    // The chosen architecture counts over the plot type's default.
    expect(
      baseOffered({ ...fresh, architecture: 'hydra-cnn', defaults: { architecture: 'inception-v3' } }),
    ).toBe(true);
  });

  it("shows the plot type's default, else the base, as the placeholder", () => {
    expect(startFromPlaceholder(fresh)).toBe("default Hydra's base (random weights with a Good reference)");
    expect(startFromPlaceholder({ ...fresh, goodReference: true })).toBe(
      'random weights (the base never saw a Good reference)',
    );
    expect(startFromOption('base', { ...fresh, goodReference: true })).toBeUndefined();
    expect(startFromPlaceholder({ ...fresh, defaults: { startFrom: 'scratch' } })).toBe(
      'default random weights',
    );
  });

  it('says where a run starts when the choice is closed', () => {
    expect(startFromPlaceholder({ ...fresh, parentModelId: PARENT })).toBe("the parent model's weights");
    expect(startFromPlaceholder({ ...fresh, architecture: 'mobilenet-v2' })).toBe(
      'random weights (only hydra-cnn has a base)',
    );
  });

  it('sends the choice only when the expert made one that applies', () => {
    expect(startFromOption(null, fresh)).toBeUndefined();
    expect(startFromOption('scratch', fresh)).toBe('scratch');
    expect(startFromOption('base', { ...fresh, architecture: 'hydra-cnn' })).toBe('base');
    // A choice made before picking a parent or another architecture is dropped, not refused by the server.
    expect(startFromOption('base', { ...fresh, parentModelId: PARENT })).toBeUndefined();
    expect(startFromOption('scratch', { ...fresh, architecture: 'inception-v3' })).toBeUndefined();
  });
});

describe("the Train dialog's input residuals", () => {
  it('says that a new hydra-cnn tries both inputs unless the plot type sets one, and what the others get', () => {
    expect(inputPlaceholder(fresh)).toBe('default: image alone or Good reference, the lower validation loss');
    expect(inputPlaceholder({ ...fresh, defaults: { medianResidual: 3 } })).toBe(
      'default median residual 3 × 3',
    );
    expect(inputPlaceholder({ ...fresh, defaults: { goodReference: true, medianResidual: 5 } })).toBe(
      'default median residual 5 × 5 and Good reference',
    );
    expect(inputPlaceholder({ ...fresh, defaults: { medianResidual: 0 } })).toBe('default image alone');
    expect(inputPlaceholder({ ...fresh, architecture: 'mobilenet-v2' })).toBe('default image alone');
    expect(inputPlaceholder({ ...fresh, parentModelId: PARENT })).toBe("the parent model's");
  });
});

describe("the training report's start", () => {
  const base = {
    sha256: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    validationAccuracyPct: { all: 96.5, classic: 97.1 },
  };

  it('names the base by its hash and how well it did', () => {
    expect(startedFrom({ parentModelId: null, metrics: { options: { startFrom: 'base' }, base } })).toBe(
      "Hydra's base a1b2c3d4e5f6 (it told Good from Bad on 96.5 % of its validation plots)",
    );
  });

  it('says random weights for a model from scratch, and for one trained before bases', () => {
    expect(
      startedFrom({ parentModelId: null, metrics: { options: { startFrom: 'scratch' }, base: null } }),
    ).toBe('random weights');
    expect(startedFrom({ parentModelId: null, metrics: { options: { architecture: 'hydra-cnn' } } })).toBe(
      'random weights',
    );
    expect(startedFrom({ parentModelId: null, metrics: {} })).toBe('random weights');
  });

  it('names the parent of a fine-tune', () => {
    expect(
      startedFrom({ parentModelId: PARENT, metrics: { options: { parentModelId: PARENT }, base: null } }),
    ).toBe('model 3f2a9c1e');
    // An older model whose options were not kept still has its parent on the record.
    expect(startedFrom({ parentModelId: PARENT, metrics: {} })).toBe('model 3f2a9c1e');
  });
});
