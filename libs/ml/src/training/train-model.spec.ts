import * as tf from '@tensorflow/tfjs';
import { faultMask, simulateDataset, type SimulatedPlot } from '@hydra/simulator';
import { gradCam, heatPeak } from '../explain/grad-cam';
import { inputToImage, letterboxGeometry } from '../explain/letterbox';
import { HYDRA_CNN_GRADCAM_LAYER } from '../models/hydra-cnn';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { hydraCnn } from '../models/hydra-cnn';
import { imageToInput, type InputShape } from '../preprocessing/image-input';
import {
  bestValidationLoss,
  type EpochProgress,
  evaluate,
  type Examples,
  lowestValidationLoss,
  TrainingCancelledError,
  trainModel,
} from './train-model';

const LABELS = ['Good', 'Bad', 'NoData'];
const INPUT: InputShape = { height: 72, width: 96, channels: 3 };

async function simulated(seed: number, count: number): Promise<Examples & { plots: SimulatedPlot[] }> {
  const examples = { inputs: [] as Float32Array[], labels: [] as number[], plots: [] as SimulatedPlot[] };
  for await (const plot of simulateDataset({ plotType: 'FCAL_occupancy', count, seed })) {
    examples.inputs.push(await imageToInput(plot.png, INPUT));
    examples.labels.push(LABELS.indexOf(plot.label));
    examples.plots.push(plot);
  }
  return examples;
}

const options = {
  batchSize: 16,
  learningRate: 3e-3,
  optimizer: 'adam',
  balancing: 'resample',
  referenceClass: 1,
} as const;

describe('training hydra-cnn on simulated plots', () => {
  let train: Examples;
  let validation: Examples;
  let test: Examples & { plots: SimulatedPlot[] };

  beforeAll(async () => {
    await initialiseBackend('wasm');
    // 600 images of one plot type: 420 to train, 90 to validate, 90 held out.
    [train, validation, test] = await Promise.all([simulated(1, 420), simulated(2, 90), simulated(3, 90)]);
  }, 120_000);

  it('reaches at least 95 % held-out accuracy, reporting every epoch, with flat memory', async () => {
    const model = hydraCnn({ input: INPUT, classes: 3, seed: 7 });
    const tensorsBefore = tf.memory().numTensors;
    const epochs: EpochProgress[] = [];
    let batches = 0;
    const result = await trainModel(model, train, validation, {
      ...options,
      epochs: 12,
      earlyStopping: { patience: 5, minDelta: 0.005 }, // Hydra's setting
      onEpoch: (progress) => epochs.push(progress),
      onBatch: () => batches++,
    });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(epochs.length).toBe(result.history.length);
    expect(batches).toBeGreaterThan(epochs.length * 20);
    expect(epochs.every((epoch) => Number.isFinite(epoch.loss) && epoch.etaS >= 0)).toBe(true);
    const heldOut = await evaluate(model, test, 3);
    console.log(
      `hydra-cnn held-out accuracy ${heldOut.accuracy.toFixed(3)} after ${epochs.length} epochs (best ${result.bestEpoch})`,
    );
    expect(heldOut.accuracy).toBeGreaterThanOrEqual(0.95);

    // Grad-CAM of the Bad class: does its peak fall on the injected fault?
    const localised = test.plots
      .map((plot, index) => ({ plot, index }))
      .filter(({ plot }) => plot.faultBoxes.length > 0);
    let inside = 0;
    const misses: string[] = [];
    for (const { plot, index } of localised) {
      const result = await gradCam(
        model,
        test.inputs[index] as Float32Array,
        INPUT,
        HYDRA_CNN_GRADCAM_LAYER(),
        LABELS.indexOf('Bad'),
      );
      const peak = inputToImage(heatPeak(result), plot.width, plot.height, INPUT);
      // The heat map's resolution is one cell of the last block (8 input pixels, ~33 image pixels):
      // a peak within half a cell of the fault counts.
      const margin = 4 / letterboxGeometry(plot.width, plot.height, INPUT).scale;
      const near = plot.faultBoxes.map((box) => ({
        x: box.x - margin,
        y: box.y - margin,
        width: box.width + 2 * margin,
        height: box.height + 2 * margin,
      }));
      if (faultMask({ ...plot, faultBoxes: near })[Math.floor(peak.y) * plot.width + Math.floor(peak.x)])
        inside++;
      else misses.push(plot.fault as string);
    }
    const fraction = inside / localised.length;
    console.log(
      `Grad-CAM peak on the fault for ${inside}/${localised.length} localised faults (${(100 * fraction).toFixed(0)} %); missed: ${misses.join(', ') || 'none'}`,
    );
    expect(fraction).toBeGreaterThanOrEqual(0.6);
    model.dispose();
  }, 600_000);

  it('stops between batches when cancelled', async () => {
    const model = hydraCnn({ input: INPUT, classes: 3 });
    const controller = new AbortController();
    const run = trainModel(model, train, validation, {
      ...options,
      epochs: 5,
      augmentation: { maxShift: 2, flipHorizontal: true },
      signal: controller.signal,
      onBatch: ({ batch }) => batch === 2 && controller.abort(),
    });
    await expect(run).rejects.toThrow(TrainingCancelledError);
    model.dispose();
  }, 60_000);
});

describe('the validation loss a training is judged by', () => {
  const epoch = (valLoss: number) => ({ valLoss }) as EpochProgress;
  const result = (losses: number[], bestEpoch: number) => ({
    history: losses.map(epoch),
    bestEpoch,
    stoppedEarly: false,
    microBatch: 16,
    threads: 1 as const,
  });

  it('is the loss of the epoch whose weights were kept, not the last or the lowest', () => {
    expect(bestValidationLoss(result([0.9, 0.4, 0.39, 0.5], 1))).toBe(0.4);
  });

  it('is Infinity when no epoch was kept or its loss is not a number', () => {
    expect(bestValidationLoss(result([Number.NaN], -1))).toBe(Infinity);
    expect(bestValidationLoss(result([Number.NaN], 0))).toBe(Infinity);
  });

  it('keeps the training with the lowest, the first on a tie, and one without a loss only when all lack one', () => {
    expect(lowestValidationLoss([result([0.3], 0), result([0.2], 0), result([0.2], 0)])).toBe(1);
    expect(lowestValidationLoss([result([Number.NaN], 0), result([0.5], 0)])).toBe(1);
    expect(lowestValidationLoss([result([Number.NaN], -1), result([Number.NaN], 0)])).toBe(0);
  });
});
