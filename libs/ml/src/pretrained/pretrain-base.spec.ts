import { initialiseBackend } from '../backend/tensorflow-backend';
import { pretrainBase } from './pretrain-base';

describe('pretrainBase', () => {
  beforeAll(() => initialiseBackend('wasm'));

  it('trains Good against Bad on every plot type and style of the simulator, and says how well per group', async () => {
    const drawn = new Map<string, number>();
    const epochs: number[] = [];
    const { model, provenance } = await pretrainBase({
      count: 8,
      epochs: 2,
      patience: 2,
      seed: 3,
      onDrawn: (group, count) => drawn.set(group, count),
      onEpoch: (progress) => epochs.push(progress.epoch),
    });
    const groups = [
      'FCAL_occupancy/classic',
      'FCAL_occupancy/root',
      'CDC_timing/classic',
      'CDC_timing/root',
      'Trigger_bits/classic',
      'Trigger_bits/root',
    ];
    expect(Object.fromEntries(drawn)).toEqual(Object.fromEntries(groups.map((group) => [group, 8])));
    expect(epochs).toEqual([0, 1]);
    expect(model.outputs[0]?.shape).toEqual([null, 2]);
    // 15 % of each group's Good and Bad plots (4 each) is one: 12 validation plots of 48.
    expect(provenance).toMatchObject({ images: { train: 36, validation: 12 }, input: '72x96', epochsRun: 2 });
    const accuracy = provenance.validationAccuracyPct as Record<string, number>;
    expect(Object.keys(accuracy)).toEqual(['all', ...groups]);
    model.dispose();
  }, 60_000); // drawing 48 plots and two epochs take seconds, more on a busy machine
});
