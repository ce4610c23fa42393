/**
 * The pointing game: does a heat map's peak fall on the fault? A hydra-cnn is trained per plot type
 * and renderer on simulated plots (libs/ml's trainModel with the trainer's default recipe: one model
 * per candidate input, the image alone and with its Good reference, the lower validation loss kept;
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
  bestValidationLoss,
  lowestValidationLoss,
} from '@hydra/ml';
import { inputCandidateName } from '@hydra/contracts';
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
    '--request <json>',
    'training options as a user would request them; by default the trainer trains its candidate inputs (the image alone, with its Good reference) and keeps the lower validation loss, as here; e.g. {"goodReference":true} for one',
    '{}',
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
    request: string;
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
 * The candidate inputs and training options: the trainer's for this plot type's size and the request
 * (each candidate from Hydra's base where the trainer would start from it), or the fixed recipe's
 * one input from scratch.
 */
function recipe(first: SimulatedPlot): {
  inputs: InputShape[];
  training: TrainingOptions;
  fromBase: boolean;
} {
  const resolved = resolveTrainingOptions({}, { ...JSON.parse(options.request), seed: options.seed }, first);
  if (options.recipe === 'product')
    return {
      inputs: resolved.inputs as InputShape[],
      training: trainModelOptions(resolved, BAD),
      fromBase: resolved.startFrom === 'base',
    };
  return {
    inputs: [FIXED_INPUT],
    training: {
      epochs: options.epochs,
      batchSize: 16,
      learningRate: 3e-3,
      optimizer: 'adam',
      balancing: 'resample',
      referenceClass: BAD,
      earlyStopping: { patience: 5, minDelta: 0.005 },
      seed: options.seed,
    },
    fromBase: false,
  };
}

/** The plots as a model with `input` reads them: compared with the Good training plots where it has a Good reference. */
async function candidateSplits(plots: SimulatedPlot[][], input: InputShape, ignore: IgnoreSetting) {
  const plain = withoutGoodReference(input);
  const [trainPlots] = plots as [SimulatedPlot[]];
  const references = input.goodReference
    ? (await heatExemplars(await split(trainPlots, plain, ignore), LABELS.indexOf('Good'), 'Good', plain))
        ?.pixels
    : undefined;
  return Promise.all(plots.map((part) => split(part, input, ignore, references)));
}

/**
 * One model per candidate input, trained as the trainer does; the one whose best epoch has the lower
 * validation loss is kept, with its input, its splits and every candidate's loss in words.
 */
async function trainKept(plots: SimulatedPlot[][], ignore: IgnoreSetting) {
  const { inputs, training, fromBase } = recipe(plots[0]?.[0] as SimulatedPlot);
  const tried = [];
  for (const input of inputs) {
    const [train, validation, test] = (await candidateSplits(plots, input, ignore)) as [Split, Split, Split];
    const { model } = buildModel({
      architecture: 'hydra-cnn',
      input,
      classes: LABELS.length,
      seed: options.seed,
    });
    if (fromBase && baseFits(input)) await startFromBase(model, LABELS);
    const result = await trainModel(model, train, validation, { ...training, input });
    tried.push({ model, input, train, test, result });
  }
  const kept = tried[lowestValidationLoss(tried.map(({ result }) => result))] as (typeof tried)[number];
  for (const other of tried) if (other !== kept) other.model.dispose();
  const losses = tried.map(
    ({ input, result }) =>
      `${inputCandidateName({ medianResidual: input.medianResidual?.window ?? 0, goodReference: Boolean(input.goodReference) })} ${bestValidationLoss(result).toFixed(3)}${tried.length > 1 && input === kept.input ? ' (kept)' : ''}`,
  );
  return { ...kept, losses };
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
  const started = performance.now();
  const { model, input, train, test, result, losses } = await trainKept(
    [trainPlots, validationPlots, testPlots],
    ignore,
  );
  const accuracy = (await evaluate(model, test, LABELS.length)).accuracy;
  const localised = test.plots.flatMap((plot, index) => (plot.faultBoxes.length ? [index] : []));
  const header = `${style} ${plotType}, ignore ${ignore}, input ${input.height}×${input.width}, ${losses.join(', ')}: ${result.history.length} epochs in ${((performance.now() - started) / 1000).toFixed(0)} s, test accuracy ${percent(accuracy)} %, ${localised.length} localised faults`;
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
