/**
 * Accuracy on subtle faults, per plot type and fault kind: train with the trainer's default recipe on
 * 300 labeled images, judge on 200 unseen ones, for plots drawn by matplotlib (a renderer that is not
 * ours, bench/accuracy/render_plots.py) and by both of the simulator's renderers (root: subtle faults only).
 *   /usr/bin/python3 bench/accuracy/render_plots.py --out /tmp/hydra-accuracy/mpl --seed 1
 *   npm run build && npm run accuracy -w @hydra/bench -- --sets mpl,root,classic --seeds 1,2,3
 * Root-style plots get a look each unless `--root` fixes one per plot type, as a real plot type has:
 *   --sets root --root '{"sizes":[{"width":640,"height":480}],"palette":"bird","logScale":false,"statsBox":true}'
 * The recipe before 70fcdeb: --request '{"input":{"height":72,"width":96},"epochs":20,"patience":5}'
 *   --override '{"learningRateDecay":null,"augmentation":null}'
 *
 * It calls the trainer's recipe directly (resolveTrainingOptions with the first image's size and
 * no request, the service's split, trainModelOptions, libs/ml trainModel, one model per candidate
 * input with the lowest validation loss kept), not the product's API: the same numbers without the
 * minutes of processes, database and store per run. `--override` adds trainModel options to measure
 * a lever before it becomes a default; `--request '{"goodReference":false}'` (or true, or
 * `{"medianResidual":5}`) trains the one candidate named instead of those the trainer chooses between.
 */
import {
  baseFits,
  bestValidationLoss,
  BUNDLED_BASE,
  buildModel,
  defaultHeatExemplars,
  type Examples,
  imageToInput,
  initialiseBackend,
  inputPixels,
  type InputShape,
  lowestValidationLoss,
  modelInput,
  startFromBase,
  stratifiedSplit,
  temperatureScaling,
  TfjsClassifier,
  type TrainingOptions,
  trainModel,
  wilsonInterval,
  withoutGoodReference,
} from '@hydra/ml';
import { simulatePlot, type SimulatedPlotType } from '@hydra/simulator';
import { inputCandidateName } from '@hydra/contracts';
import { resolveTrainingOptions, trainModelOptions } from '@hydra/trainer/dist/training/training-options';
import { Command } from 'commander';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { ROOT_LOOK_OPTION, rootLook } from './root-look';

const options = new Command('accuracy-bench')
  .option('--sets <list>', 'mpl, root and/or classic', 'mpl,root,classic')
  .option('--mpl-dir <dir>', 'where render_plots.py wrote the matplotlib set', '/tmp/hydra-accuracy/mpl')
  .option('--seeds <list>', 'training seeds (split and initial weights)', '1,2,3')
  .option('--types <list>', 'plot types, comma-separated (default: all of each set)')
  .option('--train <n>', 'labeled images per plot type (simulator sets)', Number, 300)
  .option('--test <n>', 'unseen test images per plot type (simulator sets)', Number, 200)
  .option(...ROOT_LOOK_OPTION)
  .option(
    '--base <path>',
    'the base a hydra-cnn starts from (<path>.json and .bin; see hydra pretrain)',
    BUNDLED_BASE,
  )
  .option(
    '--verdicts <file>',
    'writes every test verdict as CSV (set, plot type, seed, image, label, fault, detail, P(Bad)) to study the misses',
  )
  .option('--override <json>', 'trainModel options over the recipe, e.g. {"learningRateDecay":null}', '{}')
  .option(
    '--request <json>',
    'training options as a user would request them, e.g. {"input":{"height":144,"width":192}}',
    '{}',
  )
  .parse()
  .opts<{
    sets: string;
    mplDir: string;
    seeds: string;
    types?: string;
    train: number;
    test: number;
    root: string;
    base: string;
    override: string;
    request: string;
    verdicts?: string;
  }>();

const LABELS = ['Good', 'Bad'];

interface LabeledPng {
  /** Which image: its file in the matplotlib set, its place in the test set of ours. */
  name: string;
  png: Buffer;
  label: string;
  /** The fault a Bad plot shows; '' for a Good one. */
  fault: string;
  /** How strong the fault is and where (render_plots.py's key=value pairs); '' where not known. */
  detail: string;
}

interface PlotSet {
  name: string;
  plotType: string;
  train: LabeledPng[];
  test: LabeledPng[];
}

/** The matplotlib set: labels.csv (file,split,label,fault) beside the PNGs of each plot type. */
function* matplotlibSets(dir: string): Generator<PlotSet> {
  for (const plotType of ['mpl_timing', 'mpl_occupancy', 'mpl_trigger']) {
    const rows = readFileSync(join(dir, plotType, 'labels.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1);
    const images = rows.map((row) => {
      const [file, split, label, fault, detail = ''] = row.split(',') as [string, string, string, string];
      return { name: file, split, png: readFileSync(join(dir, plotType, file)), label, fault, detail };
    });
    yield {
      name: 'mpl',
      plotType,
      train: images.filter((image) => image.split === 'train'),
      test: images.filter((image) => image.split === 'test'),
    };
  }
}

/** One of our renderers: half Good, half Bad; the root style draws only subtle faults. */
async function simulatorSet(style: 'classic' | 'root', plotType: SimulatedPlotType): Promise<PlotSet> {
  const draw = async (count: number, firstSeed: number) =>
    Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const label = index % 2 === 0 ? 'Good' : 'Bad';
        const plot = await simulatePlot(plotType, label, firstSeed + index, index / count, {
          style,
          ...(style === 'root' && { root: { subtleShare: 1, ...rootLook(options.root) } }),
        });
        return { name: String(index), png: plot.png, label, fault: plot.fault ?? '', detail: '' };
      }),
    );
  return {
    name: style,
    plotType,
    train: await draw(options.train, 1_000_000),
    test: await draw(options.test, 2_000_000),
  };
}

interface Tally {
  n: number;
  correct: number;
}

/**
 * Trains as the trainer does (split 70/15/15, its options; one model per candidate input, the lowest
 * validation loss kept) and tallies the test images per fault kind; like the trainer, it fits a
 * temperature on the validation split and gives the test split's calibration error before and after.
 */
async function trainAndTest(set: PlotSet, seed: number) {
  const { width, height } = await sharp(set.train[0]?.png as Buffer).metadata();
  const resolved = resolveTrainingOptions(
    {},
    { ...JSON.parse(options.request), seed },
    { width: width as number, height: height as number },
  );
  const tried = [];
  for (const input of resolved.inputs) tried.push(await trainOne(set, seed, resolved, input));
  const kept = tried[lowestValidationLoss(tried.map(({ result }) => result))] as (typeof tried)[number];
  for (const other of tried) if (other !== kept) other.model.dispose();
  const { model, input, result, references, validation } = kept;
  const seconds = tried.reduce((sum, { seconds }) => sum + seconds, 0);
  const classifier = new TfjsClassifier(model, input);
  const tallies = new Map<string, Tally>();
  const verdicts: string[] = [];
  const test: { truth: number[]; outputs: number[][] } = { truth: [], outputs: [] };
  const count = (key: string, correct: boolean) => {
    const tally = tallies.get(key) ?? { n: 0, correct: 0 };
    tallies.set(key, { n: tally.n + 1, correct: tally.correct + (correct ? 1 : 0) });
  };
  for (let start = 0; start < set.test.length; start += 32) {
    const batch = set.test.slice(start, start + 32);
    const probabilities = await classifier.predict(
      await Promise.all(batch.map((image) => imageToInput(image.png, input, [], references))),
    );
    batch.forEach((image, index) => {
      const row = probabilities[index] as number[];
      test.truth.push(LABELS.indexOf(image.label));
      test.outputs.push(row);
      const predicted = LABELS[row.indexOf(Math.max(...row))];
      const correct = predicted === image.label;
      count('all', correct);
      count(image.label === 'Bad' ? 'Bad recall' : 'Good kept', correct);
      if (image.fault) count(image.fault, correct);
      verdicts.push(
        [
          set.name,
          set.plotType,
          seed,
          image.name,
          image.label,
          image.fault,
          image.detail,
          row[LABELS.indexOf('Bad')],
        ].join(','),
      );
    });
  }
  const calibration = temperatureScaling(
    { truth: validation.labels, outputs: await classifier.predict(validation.inputs) },
    test,
    { bins: CALIBRATION_BINS },
  );
  await classifier.dispose();
  return {
    tallies,
    calibration,
    verdicts,
    input,
    epochs: result.history.length,
    bestEpoch: result.bestEpoch,
    seconds,
    losses: tried.map(
      ({ input, result }) =>
        `${inputCandidateName({ medianResidual: input.medianResidual?.window ?? 0, goodReference: Boolean(input.goodReference) })}: ${bestValidationLoss(result).toFixed(3)}`,
    ),
  };
}

/** One model trained as the trainer does on `input` (compared with its training split's Good plots where it has a Good reference). */
async function trainOne(
  set: PlotSet,
  seed: number,
  resolved: ReturnType<typeof resolveTrainingOptions>,
  input: InputShape,
) {
  const labelIndices = set.train.map((image) => LABELS.indexOf(image.label));
  const splits = stratifiedSplit(labelIndices, { validation: 0.15, test: 0.15 }, seed);
  const plain = withoutGoodReference(input);
  const pixels = await Promise.all(
    set.train.map(async (image) => inputPixels(await imageToInput(image.png, plain), plain)),
  );
  const plainPart = (name: string): Examples => ({
    inputs: pixels.filter((_, index) => splits[index] === name).map((values) => modelInput(values, plain)),
    labels: labelIndices.filter((_, index) => splits[index] === name),
  });
  const references = input.goodReference
    ? (await defaultHeatExemplars(LABELS, plainPart('train'), plain))?.pixels
    : undefined;
  const part = (name: string): Examples => ({
    inputs: pixels
      .filter((_, index) => splits[index] === name)
      .map((values) => modelInput(values, input, references)),
    labels: labelIndices.filter((_, index) => splits[index] === name),
  });
  const { model } = buildModel({
    architecture: resolved.architecture,
    input,
    classes: LABELS.length,
    widthMultiplier: resolved.widthMultiplier,
    seed,
  });
  if (resolved.startFrom === 'base' && baseFits(input)) await startFromBase(model, LABELS, options.base);
  const training: TrainingOptions = {
    ...trainModelOptions(resolved, LABELS.indexOf('Bad')),
    input,
    ...JSON.parse(options.override),
  };
  const started = Date.now();
  const validation = part('validation');
  const result = await trainModel(model, part('train'), validation, training);
  return { model, input, result, references, validation, seconds: (Date.now() - started) / 1000 };
}

/** The trainer's bins (services/trainer candidate-evaluation). */
const CALIBRATION_BINS = 10;

const percent = (value: number) => `${(100 * value).toFixed(1)}`;

function formatted({ n, correct }: Tally): string {
  const interval = wilsonInterval(correct, n);
  return `${correct}/${n} = ${percent(interval.value)} % [${percent(interval.lower)}, ${percent(interval.upper)}]`;
}

async function main() {
  const backend = await initialiseBackend();
  const seeds = options.seeds.split(',').map(Number);
  const sets = options.sets.split(',');
  const types = options.types?.split(',');
  console.log(
    `backend ${backend}; recipe: resolveTrainingOptions defaults, request ${options.request}, override ${options.override}, base ${options.base}`,
  );
  const wanted = (plotType: string) => !types || types.some((type) => plotType.includes(type));
  const plotSets: Array<() => Promise<PlotSet>> = [];
  for (const name of sets) {
    if (name === 'mpl')
      for (const set of matplotlibSets(options.mplDir))
        if (wanted(set.plotType)) plotSets.push(async () => set);
    if (name === 'root' || name === 'classic')
      for (const plotType of ['CDC_timing', 'FCAL_occupancy', 'Trigger_bits'] as const)
        if (wanted(plotType)) plotSets.push(() => simulatorSet(name, plotType));
  }
  console.log(
    '| set | plot type | seed | input | epochs (best) | s | accuracy | Bad recall | per fault kind (caught) | validation loss per candidate input | test ECE before → after (temperature) |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  if (options.verdicts)
    writeFileSync(options.verdicts, 'set,plot type,seed,image,label,fault,detail,P(Bad)\n');
  for (const load of plotSets) {
    const set = await load();
    const pooled = new Map<string, Tally>();
    const errors = { before: 0, after: 0 };
    for (const seed of seeds) {
      const { tallies, calibration, verdicts, input, epochs, bestEpoch, seconds, losses } =
        await trainAndTest(set, seed);
      errors.before += calibration.before.ece / seeds.length;
      errors.after += calibration.after.ece / seeds.length;
      if (options.verdicts) appendFileSync(options.verdicts, verdicts.map((line) => `${line}\n`).join(''));
      for (const [key, tally] of tallies) {
        const sum = pooled.get(key) ?? { n: 0, correct: 0 };
        pooled.set(key, { n: sum.n + tally.n, correct: sum.correct + tally.correct });
      }
      const faults = [...tallies.keys()].filter((key) => !['all', 'Bad recall', 'Good kept'].includes(key));
      console.log(
        `| ${set.name} | ${set.plotType} | ${seed} | ${input.height}×${input.width} | ${epochs} (${bestEpoch + 1}) | ${seconds.toFixed(0)} | ${formatted(tallies.get('all') as Tally)} | ${formatted(tallies.get('Bad recall') as Tally)} | ${faults.map((fault) => `${fault} ${tallies.get(fault)?.correct}/${tallies.get(fault)?.n}`).join(', ')} | ${losses.join(', ')} | ${calibration.before.ece.toFixed(3)} → ${calibration.after.ece.toFixed(3)} (${calibration.temperature.toFixed(2)}) |`,
      );
    }
    const faults = [...pooled.keys()].filter((key) => !['all', 'Bad recall', 'Good kept'].includes(key));
    console.log(
      `| ${set.name} | ${set.plotType} | all ${seeds.length} | | | | ${formatted(pooled.get('all') as Tally)} | ${formatted(pooled.get('Bad recall') as Tally)} | ${faults.map((fault) => `${fault} ${formatted(pooled.get(fault) as Tally)}`).join('; ')} | | mean ${errors.before.toFixed(3)} → ${errors.after.toFixed(3)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
