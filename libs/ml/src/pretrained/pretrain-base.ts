import { type PlotStyle, type SimulatedPlotType, simulatePlot, simulatedPlotTypes } from '@hydra/simulator';
import type * as tf from '@tensorflow/tfjs';
import { hydraCnn } from '../models/hydra-cnn';
import { imageToInput, type InputShape } from '../preprocessing/image-input';
import { stratifiedSplit } from '../training/stratified-split';
import { type EpochProgress, evaluate, trainModel } from '../training/train-model';

export interface PretrainOptions {
  /** Plots per plot type and drawing style, half Good and half Bad. */
  count: number;
  epochs: number;
  patience: number;
  seed: number;
  /** Threads per training step (see TrainingOptions.threads). Default 1. */
  threads?: 1 | 2;
  /** Simulator seeds start here; far from the benches' (1,000,000 and 2,000,000 onwards). */
  firstPlotSeed?: number;
  onDrawn?: (group: string, drawn: number, total: number) => void;
  onEpoch?: (progress: EpochProgress) => void;
}

/** The input the base is trained at: hydra-cnn's default budget (HYDRA_CNN_MAX_PIXELS) in the classic plots' 3:4. */
export const PRETRAIN_INPUT: InputShape = { height: 72, width: 96, channels: 3 };
const STYLES: PlotStyle[] = ['classic', 'root'];
const LABELS = ['Good', 'Bad'] as const;

export interface PretrainedBase {
  model: tf.LayersModel;
  /** Its outputs: Good, Bad. */
  labels: string[];
  /** What goes into the base's description: data, recipe and how well it tells Good from Bad. */
  provenance: Record<string, unknown>;
}

/**
 * A hydra-cnn that tells Good from Bad on the simulator's plots: every plot type in both drawing
 * styles, every fault kind at gross and subtle levels. Plot types trained from it (see
 * applyBaseWeights) start knowing what a dead cell, a hot channel or a shifted peak looks like,
 * which few labels cannot teach (bench/src/accuracy.bench.ts). The trainer's recipe, batch 32.
 */
export async function pretrainBase(options: PretrainOptions): Promise<PretrainedBase> {
  const started = Date.now();
  const inputs: Float32Array[] = [];
  const labels: number[] = [];
  const groups: string[] = [];
  const firstSeed = options.firstPlotSeed ?? 5_000_000;
  for (const plotType of Object.keys(simulatedPlotTypes) as SimulatedPlotType[]) {
    for (const style of STYLES) {
      const group = `${plotType}/${style}`;
      for (let index = 0; index < options.count; index++) {
        const label = LABELS[index % 2] as (typeof LABELS)[number];
        const plot = await simulatePlot(plotType, label, firstSeed + index, index / options.count, { style });
        inputs.push(await imageToInput(plot.png, PRETRAIN_INPUT));
        labels.push(index % 2);
        groups.push(group);
        options.onDrawn?.(group, index + 1, options.count);
      }
    }
  }
  const drawnS = (Date.now() - started) / 1000;
  const groupNames = [...new Set(groups)];
  const strata = groups.map(
    (group, index) => groupNames.indexOf(group) * LABELS.length + (labels[index] ?? 0),
  );
  const splits = stratifiedSplit(strata, { validation: 0.15, test: 0 }, options.seed);
  const pick = (validation: boolean, group?: string) => {
    const chosen = splits.flatMap((split, index) =>
      (split === 'validation') === validation && (!group || groups[index] === group) ? [index] : [],
    );
    return {
      inputs: chosen.map((i) => inputs[i] as Float32Array),
      labels: chosen.map((i) => labels[i] as number),
    };
  };
  const model = hydraCnn({ input: PRETRAIN_INPUT, classes: LABELS.length, seed: options.seed });
  const validation = pick(true);
  const training = await trainModel(model, pick(false), validation, {
    epochs: options.epochs,
    batchSize: 32,
    learningRate: 3e-3,
    optimizer: 'adam',
    balancing: 'resample',
    referenceClass: 1,
    earlyStopping: { patience: options.patience, minDelta: 0.005 },
    learningRateDecay: { factor: 0.5, patience: 3 },
    augmentation: { maxShift: 0, ink: 0.3 },
    seed: options.seed,
    threads: options.threads,
    onEpoch: options.onEpoch,
  });
  const accuracy = async (group?: string) =>
    Math.round((await evaluate(model, pick(true, group), LABELS.length)).accuracy * 1000) / 10;
  const perGroup: Record<string, number> = {};
  for (const group of groupNames) perGroup[group] = await accuracy(group);
  return {
    model,
    labels: [...LABELS],
    provenance: {
      data: `the simulator's plots (libs/simulator): ${groupNames.join(', ')}; ${options.count} each, half Good, half Bad (gross and subtle faults); plot seeds from ${firstSeed}`,
      input: `${PRETRAIN_INPUT.height}x${PRETRAIN_INPUT.width}`,
      recipe: {
        epochs: options.epochs,
        patience: options.patience,
        batchSize: 32,
        learningRate: 3e-3,
        seed: options.seed,
        threads: training.threads,
      },
      images: {
        train: splits.filter((split) => split === 'train').length,
        validation: validation.labels.length,
      },
      validationAccuracyPct: { all: await accuracy(), ...perGroup },
      bestEpoch: training.bestEpoch + 1,
      epochsRun: training.history.length,
      seconds: { drawing: Math.round(drawnS), training: Math.round((Date.now() - started) / 1000 - drawnS) },
    },
  };
}
