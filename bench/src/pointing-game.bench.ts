/**
 * The pointing game: does a heat map's peak fall on the fault? A hydra-cnn is trained per plot type
 * and renderer on simulated plots (libs/ml's trainModel with the trainer's default recipe and input,
 * or `--recipe fixed`: 72 × 96, Adam, 15 epochs; no services), then every heat-map method is
 * asked "why Bad?" on the faulty test plots whose fault is localised (the simulator's masks); a hit is
 * a peak whose input pixel covers a fault pixel. Shares come with a 95 % Wilson interval, over all
 * localised faults and over those the model called Bad (a heat map cannot point at a fault the
 * model did not see). Methods named "from Good" take each block's activations as their difference
 * from the mean over the Good training plots ("from 8 nearest Good": over the 8 of them nearest the
 * plot explained, as the explainer does), and those named "vs Good" explain Bad's logit less Good's. With `--ignore frame` the plot's surroundings are ignore regions, as a plot
 * type's settings would make them: masked in training and in the heat map. `--methods` keeps the
 * methods whose name matches; `--misses <folder>` draws every miss (heat, fault box, peak) to look at.
 *   npm run build -w @hydra/bench && npm run pointing-game -w @hydra/bench -- --train 240 --test 120
 */
import {
  type CamMethod,
  classActivationMap,
  type ClassActivationOptions,
  heatMapOptions,
  heatPeak,
  heatReference,
  heatExemplars,
  nearestReference,
  buildModel,
  HYDRA_CNN_GRADCAM_LAYER,
  type IgnoreRegion,
  baseFits,
  imageToInput,
  initialiseBackend,
  type InputShape,
  letterboxGeometry,
  startFromBase,
  withoutGoodReference,
  trainModel,
  type TrainingOptions,
  evaluate,
  type GradCamResult,
  heatmapOverlay,
  wilsonInterval,
  withoutIgnoredHeat,
} from '@hydra/ml';
import {
  faultMask,
  type PlotStyle,
  simulateDataset,
  type SimulatedLabel,
  type SimulatedPlot,
  type SimulatedPlotType,
} from '@hydra/simulator';
import type * as tf from '@tensorflow/tfjs';
import { resolveTrainingOptions, trainModelOptions } from '@hydra/trainer/dist/training/training-options';
import { Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { ROOT_LOOK_OPTION, rootLook } from './root-look';

const options = new Command('pointing-game-bench')
  .option('--plot-types <list>', 'simulated plot types', 'FCAL_occupancy,CDC_timing,Trigger_bits')
  .option('--styles <list>', 'renderers: classic, root', 'classic,root')
  .option(...ROOT_LOOK_OPTION)
  .option('--train <n>', 'training plots per plot type and renderer', Number, 240)
  .option('--test <n>', 'test plots (mostly Bad) per plot type and renderer', Number, 120)
  .option(
    '--recipe <name>',
    "product: the trainer's default recipe and input (the plot's aspect); fixed: 72 × 96, Adam 3e-3, --epochs",
    'product',
  )
  .option('--epochs <n>', 'most epochs of the fixed recipe (early stopping may end sooner)', Number, 15)
  .option('--seed <n>', 'simulator and weight seed', Number, 1)
  .option(
    '--ignore <list>',
    'ignore regions: none, or frame (everything around the data frame: title, axes, colour bar; and the stats box and legend inside it), as a plot type would set them',
    'none,frame',
  )
  .option(
    '--good-reference',
    "the trainer's candidate with a Good reference (from random weights) instead of the image alone",
  )
  .option('--methods <pattern>', 'only the heat-map methods whose name matches this regular expression')
  .option('--misses <folder>', "write each miss's heat map over its plot here, with the fault's box drawn")
  .parse()
  .opts<{
    plotTypes: string;
    styles: string;
    root: string;
    train: number;
    test: number;
    recipe: 'product' | 'fixed';
    epochs: number;
    seed: number;
    ignore: string;
    goodReference?: boolean;
    methods?: string;
    misses?: string;
  }>();

type IgnoreSetting = 'none' | 'frame';

const LABELS: SimulatedLabel[] = ['Good', 'Bad', 'NoData'];
const BAD = LABELS.indexOf('Bad');
const FIXED_INPUT: InputShape = { height: 72, width: 96, channels: 3 };
const TEST_MIX: Record<SimulatedLabel, number> = { Good: 0.1, Bad: 0.9, NoData: 0 };

/** A heat-map method under test: hydra-cnn's blocks `first`–`last`, fused as the explainer would. */
interface Candidate {
  name: string;
  options: (model: tf.LayersModel) => ClassActivationOptions;
  /** The class whose mean activations over the training plots the evidence is measured from. */
  reference?: string;
  /** Measured from the mean of this many of those plots nearest the one explained, not of all. */
  nearest?: number;
}

const BLOCKS = 4;
const blocks = (
  method: CamMethod,
  first: number,
  last = first,
  reference?: string,
  contrast?: string,
  nearest?: number,
): Candidate => ({
  name: `${first === last ? `${method} block${first}` : `${method} blocks ${first}-${last}`}${reference ? ` from ${nearest ? `${nearest} nearest ` : ''}${reference}` : ''}${contrast ? ` vs ${contrast}` : ''}`,
  ...(reference && { reference }),
  ...(nearest && { nearest }),
  options: (model) =>
    heatMapOptions(
      model,
      HYDRA_CNN_GRADCAM_LAYER(),
      { method, blocks: last - first + 1, skip: BLOCKS - last, ...(contrast && { contrast }) },
      { classIndex: BAD, labels: LABELS },
    ),
});

const CANDIDATES: Candidate[] = [
  blocks('grad-cam', 4),
  blocks('grad-cam++', 4),
  blocks('layer-cam', 4),
  blocks('layer-cam', 3),
  blocks('layer-cam', 2),
  blocks('layer-cam', 1),
  blocks('layer-cam', 1, 2),
  blocks('layer-cam', 2, 3),
  blocks('layer-cam', 1, 3),
  blocks('layer-cam', 1, 4),
  blocks('layer-cam', 1, 2, 'Good'),
  blocks('layer-cam', 1, 3, 'Good'),
  blocks('layer-cam', 1, 4, 'Good'),
  blocks('grad-cam', 4, 4, 'Good'),
  blocks('layer-cam', 1, 2, 'Good', 'Good'),
  blocks('layer-cam', 1, 3, 'Good', 'Good'),
  blocks('layer-cam', 1, 3, 'Good', 'Good', 8),
  blocks('layer-cam', 1, 3, 'Good', 'Good', 24),
];

interface Split {
  inputs: Float32Array[];
  labels: number[];
  plots: SimulatedPlot[];
}

/**
 * The four strips around the data frame and the boxes of text drawn over the data (stats box,
 * legend), in fractions of the image (the product's IgnoreRegion).
 */
function aroundFrame(plot: SimulatedPlot): IgnoreRegion[] {
  const { x, y, width, height } = plot.frame.plotArea;
  const [right, bottom] = [x + width, y + height];
  const box = (left: number, top: number, boxRight: number, boxBottom: number): IgnoreRegion => ({
    x: left / plot.width,
    y: top / plot.height,
    width: (boxRight - left) / plot.width,
    height: (boxBottom - top) / plot.height,
  });
  return [
    box(0, 0, plot.width, y),
    box(0, bottom, plot.width, plot.height),
    box(0, y, x, bottom),
    box(right, y, plot.width, bottom),
    ...[plot.frame.statsBox, plot.frame.legend].flatMap((inside) =>
      inside ? [box(inside.x, inside.y, inside.x + inside.width, inside.y + inside.height)] : [],
    ),
  ].filter((region) => region.width > 0 && region.height > 0);
}

const regionsOf = (plot: SimulatedPlot, ignore: IgnoreSetting) =>
  ignore === 'frame' ? aroundFrame(plot) : [];

async function simulated(
  plotType: SimulatedPlotType,
  style: PlotStyle,
  count: number,
  seed: number,
  mix?: Record<SimulatedLabel, number>,
): Promise<SimulatedPlot[]> {
  const plots: SimulatedPlot[] = [];
  for await (const plot of simulateDataset({
    plotType,
    count,
    seed,
    style,
    ...(style === 'root' && { root: rootLook(options.root) }),
    ...(mix && { mix }),
  }))
    plots.push(plot);
  return plots;
}

async function split(
  plots: SimulatedPlot[],
  input: InputShape,
  ignore: IgnoreSetting,
  references?: readonly Uint8Array[],
): Promise<Split> {
  return {
    inputs: await Promise.all(
      plots.map((plot) => imageToInput(plot.png, input, regionsOf(plot, ignore), references)),
    ),
    labels: plots.map((plot) => LABELS.indexOf(plot.label)),
    plots,
  };
}

/**
 * The model, its input and its training options: the trainer's defaults for this plot type's size
 * (from Hydra's base unless the product's options say otherwise), or the fixed recipe from scratch.
 */
async function recipe(first: SimulatedPlot) {
  // One candidate of those the trainer may train: the image alone, or with its Good reference.
  const resolved = resolveTrainingOptions(
    {},
    { seed: options.seed, medianResidual: 0, goodReference: options.goodReference ?? false },
    first,
  );
  const product = options.recipe === 'product';
  const input = product ? (resolved.inputs[0] as InputShape) : FIXED_INPUT;
  const training: TrainingOptions = product
    ? trainModelOptions(resolved, BAD)
    : {
        epochs: options.epochs,
        batchSize: 16,
        learningRate: 3e-3,
        optimizer: 'adam',
        balancing: 'resample',
        referenceClass: BAD,
        earlyStopping: { patience: 5, minDelta: 0.005 },
        seed: options.seed,
      };
  const { model } = buildModel({
    architecture: 'hydra-cnn',
    input,
    classes: LABELS.length,
    seed: options.seed,
  });
  if (product && resolved.startFrom === 'base' && baseFits(input)) await startFromBase(model, LABELS);
  return { input, training, model };
}

/** Whether the input pixel at the peak covers a fault pixel of the original image. */
function pointsAtFault(plot: SimulatedPlot, input: InputShape, peak: { x: number; y: number }): boolean {
  const box = letterboxGeometry(plot.width, plot.height, input);
  const footprint = {
    x: (peak.x - box.left) / box.scale,
    y: (peak.y - box.top) / box.scale,
    width: 1 / box.scale,
    height: 1 / box.scale,
  };
  const mask = faultMask(plot);
  const covered = faultMask({ ...plot, faultBoxes: [footprint] });
  return mask.some((value, index) => value === 1 && covered[index] === 1);
}

/** A miss drawn for a person: the heat over the plot, the fault's boxes in green, the peak ringed in white. */
async function writeMiss(
  folder: string,
  name: string,
  plot: SimulatedPlot,
  input: InputShape,
  result: GradCamResult,
  peak: { x: number; y: number },
): Promise<void> {
  const box = letterboxGeometry(plot.width, plot.height, input);
  const centre = { x: (peak.x + 0.5 - box.left) / box.scale, y: (peak.y + 0.5 - box.top) / box.scale };
  const marks = [
    ...plot.faultBoxes.map(
      (fault) =>
        `<rect x="${fault.x}" y="${fault.y}" width="${fault.width}" height="${fault.height}" fill="none" stroke="#00c000" stroke-width="2"/>`,
    ),
    `<circle cx="${centre.x}" cy="${centre.y}" r="${Math.max(4, 1 / box.scale)}" fill="none" stroke="white" stroke-width="2"/>`,
  ];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${plot.width}" height="${plot.height}">${marks.join('')}</svg>`;
  await mkdir(folder, { recursive: true });
  await sharp(await heatmapOverlay(plot.png, result, input))
    .composite([{ input: Buffer.from(svg) }])
    .toFile(join(folder, `${name.replace(/[^\w-]+/g, '_')}-${plot.fault}.png`));
}

const percent = (value: number) => `${(100 * value).toFixed(0)}`;
const share = (hits: number, n: number) => {
  const interval = wilsonInterval(hits, n);
  return `${percent(interval.value).padStart(3)} % [${percent(interval.lower)}, ${percent(interval.upper)}] of ${n}`;
};

interface Tally {
  hits: number;
  n: number;
  /** Among the faulty plots the model called Bad. */
  detectedHits: number;
  detected: number;
}

const add = (tally: Tally | undefined, more: Tally): Tally => ({
  hits: (tally?.hits ?? 0) + more.hits,
  n: (tally?.n ?? 0) + more.n,
  detectedHits: (tally?.detectedHits ?? 0) + more.detectedHits,
  detected: (tally?.detected ?? 0) + more.detected,
});

/** Pointing of every candidate on one plot type, renderer and ignore setting. */
async function measure(
  plotType: SimulatedPlotType,
  style: PlotStyle,
  ignore: IgnoreSetting,
  totals: Map<string, Tally>,
): Promise<string[]> {
  const seed = options.seed * 100;
  const [trainPlots, validationPlots, testPlots] = await Promise.all([
    simulated(plotType, style, options.train, seed + 1),
    simulated(plotType, style, Math.round(options.train / 4), seed + 2),
    simulated(plotType, style, options.test, seed + 3, TEST_MIX),
  ]);
  const { input, training: trainingOptions, model } = await recipe(trainPlots[0] as SimulatedPlot);
  // A model with a Good reference compares every plot with the Good training plots, as the trainer's does.
  const plain = withoutGoodReference(input);
  const references = input.goodReference
    ? (await heatExemplars(await split(trainPlots, plain, ignore), LABELS.indexOf('Good'), 'Good', plain))
        ?.pixels
    : undefined;
  const [train, validation, test] = await Promise.all([
    split(trainPlots, input, ignore, references),
    split(validationPlots, input, ignore, references),
    split(testPlots, input, ignore, references),
  ]);
  const started = performance.now();
  const training = await trainModel(model, train, validation, trainingOptions);
  const accuracy = (await evaluate(model, test, LABELS.length)).accuracy;
  const localised = test.plots.flatMap((plot, index) => (plot.faultBoxes.length ? [index] : []));
  const header = `${style} ${plotType}, ignore ${ignore}, input ${input.height}×${input.width}: ${training.history.length} epochs in ${((performance.now() - started) / 1000).toFixed(0)} s, test accuracy ${percent(accuracy)} %, ${localised.length} localised faults`;
  console.log(header);
  const rows = [header];
  const methods = options.methods ? new RegExp(options.methods) : undefined;
  for (const candidate of CANDIDATES.filter(({ name }) => !methods || methods.test(name))) {
    const tally: Tally = { hits: 0, n: 0, detectedHits: 0, detected: 0 };
    const byFault = new Map<string, { hits: number; n: number }>();
    const timer = performance.now();
    const camOptions = candidate.options(model);
    const good = LABELS.indexOf('Good');
    const [reference, exemplars] = candidate.reference
      ? await Promise.all([
          heatReference(model, camOptions.layers, train, good, candidate.reference),
          heatExemplars(train, good, candidate.reference, input),
        ])
      : [null, null];
    for (const index of localised) {
      const plot = test.plots[index] as SimulatedPlot;
      const plotInput = test.inputs[index] as Float32Array;
      const measuredFrom =
        candidate.nearest && exemplars
          ? await nearestReference(model, camOptions.layers, exemplars, plotInput, candidate.nearest)
          : reference;
      const result = withoutIgnoredHeat(
        await classActivationMap(model, plotInput, input, {
          ...camOptions,
          ...(measuredFrom && { reference: measuredFrom }),
        }),
        regionsOf(plot, ignore),
        plot.width,
        plot.height,
        input,
      );
      const peak = heatPeak(result);
      const hit = Number(pointsAtFault(plot, input, peak));
      if (!hit && options.misses)
        await writeMiss(
          options.misses,
          `${style}-${plotType}-${candidate.name}-${index}`,
          plot,
          input,
          result,
          peak,
        );
      const detected = Number(result.probabilities.indexOf(Math.max(...result.probabilities)) === BAD);
      Object.assign(tally, add(tally, { hits: hit, n: 1, detectedHits: hit * detected, detected }));
      const kind = byFault.get(plot.fault ?? '') ?? { hits: 0, n: 0 };
      byFault.set(plot.fault ?? '', { hits: kind.hits + hit, n: kind.n + 1 });
    }
    const msPerMap = (performance.now() - timer) / Math.max(1, localised.length);
    const kinds = [...byFault].map(([kind, count]) => `${kind} ${count.hits}/${count.n}`).join(', ');
    const row = `  ${candidate.name.padEnd(22)} ${share(tally.hits, tally.n)}; detected ${share(tally.detectedHits, tally.detected)}; ${msPerMap.toFixed(0)} ms/map (${kinds})`;
    console.log(row);
    rows.push(row);
    for (const key of [`${ignore} ${candidate.name}`, `${ignore} ${style} ${candidate.name}`])
      totals.set(key, add(totals.get(key), tally));
  }
  model.dispose();
  return rows;
}

async function main(): Promise<void> {
  const backend = await initialiseBackend();
  console.log(`backend ${backend}; ${JSON.stringify(options)}`);
  const totals = new Map<string, Tally>();
  const rows: string[] = [];
  for (const ignore of options.ignore.split(',') as IgnoreSetting[])
    for (const style of options.styles.split(',') as PlotStyle[])
      for (const plotType of options.plotTypes.split(',') as SimulatedPlotType[])
        rows.push('', ...(await measure(plotType, style, ignore, totals)));
  console.log(rows.join('\n'));
  console.log(
    '\npooled over plot types (ignore setting, renderer, method): all localised faults; those the model called Bad',
  );
  for (const [key, tally] of [...totals].sort(([a], [b]) => a.localeCompare(b)))
    console.log(
      `  ${key.padEnd(36)} ${share(tally.hits, tally.n)}; detected ${share(tally.detectedHits, tally.detected)}`,
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
