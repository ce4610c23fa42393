import * as tf from '@tensorflow/tfjs';
import { initialiseBackend } from '../backend/tensorflow-backend';
import { inputPixels, modelInput } from '../preprocessing/image-input';
import { CAM_METHODS, classActivationMap, heatPeak } from './grad-cam';
import { heatMapOptions } from './heat-map-method';
import {
  HEAT_EXEMPLAR_BYTES,
  heatExemplars,
  heatReference,
  MAX_HEAT_EXEMPLARS,
  nearestReference,
  referenceFor,
} from './heat-reference';

const SHAPE = { height: 16, width: 16, channels: 1 } as const;
const BRIGHT = { x: 10, y: 4 };
const DARK = { x: 2, y: 12 };
const EXTRA = { x: 4, y: 6 };

/**
 * A model whose answer is known: block 1 has a channel for bright pixels and one for dark ones,
 * block 2 (after pooling) passes them on, and class 0 is the bright channel's mean, class 1 the dark's.
 */
function brightOrDark(): tf.LayersModel {
  const inputs = tf.input({ shape: [SHAPE.height, SHAPE.width, 1] });
  const constant = (values: number[], shape: number[]) => tf.tensor(values, shape);
  const block1 = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'block1_conv' });
  const block2 = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'block2_conv' });
  const classes = tf.layers.dense({ units: 2, activation: 'softmax', name: 'classes' });
  let features = block1.apply(inputs) as tf.SymbolicTensor;
  features = tf.layers.reLU({ name: 'block1_relu' }).apply(features) as tf.SymbolicTensor;
  features = tf.layers
    .maxPooling2d({ poolSize: 2, name: 'block1_pool' })
    .apply(features) as tf.SymbolicTensor;
  features = block2.apply(features) as tf.SymbolicTensor;
  features = tf.layers.reLU({ name: 'block2_relu' }).apply(features) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(features) as tf.SymbolicTensor;
  const model = tf.model({ inputs, outputs: classes.apply(pooled) as tf.SymbolicTensor });
  // Bright: relu(2x − 1); dark: relu(1 − 2x); grey (0.5) is neither.
  block1.setWeights([constant([2, -2], [1, 1, 1, 2]), constant([-1, 1], [2])]);
  block2.setWeights([constant([1, 0, 0, 1], [1, 1, 2, 2]), constant([0, 0], [2])]);
  classes.setWeights([constant([4, 0, 0, 4], [2, 2]), constant([0, 0], [2])]);
  return model;
}

type Patch = readonly [{ x: number; y: number }, number];

/** Grey, with 2 × 2 patches of the given values: by default a bright one and a dark one. */
function plot(
  patches: readonly Patch[] = [
    [BRIGHT, 1],
    [DARK, 0],
  ],
): Float32Array {
  const input = new Float32Array(SHAPE.height * SHAPE.width).fill(0.5);
  for (const [{ x, y }, value] of patches)
    for (let row = y; row < y + 2; row++) input.fill(value, row * SHAPE.width + x, row * SHAPE.width + x + 2);
  return input;
}

const inPatch = (peak: { x: number; y: number }, patch: { x: number; y: number }) =>
  peak.x >= patch.x && peak.x < patch.x + 2 && peak.y >= patch.y && peak.y < patch.y + 2;

describe('class activation maps', () => {
  let model: tf.LayersModel;

  beforeAll(async () => {
    await initialiseBackend('wasm');
    model = brightOrDark();
  });

  afterAll(() => model.dispose());

  it.each(CAM_METHODS)(
    '%s peaks where the input shows the class asked for, on every layer and fused',
    async (method) => {
      for (const layers of [['block1_relu'], ['block2_relu'], ['block1_relu', 'block2_relu']]) {
        const bright = await classActivationMap(model, plot(), SHAPE, { method, layers, classIndex: 0 });
        const dark = await classActivationMap(model, plot(), SHAPE, { method, layers, classIndex: 1 });
        expect({
          layers,
          bright: inPatch(heatPeak(bright), BRIGHT),
          dark: inPatch(heatPeak(dark), DARK),
        }).toEqual({
          layers,
          bright: true,
          dark: true,
        });
        expect(Math.max(...bright.heat)).toBeCloseTo(1);
      }
    },
  );

  it('measured from the usual plots, points at what this plot has that they lack, not at what all have', async () => {
    // Every usual plot shows the bright patch; a faulty one also has a fainter one elsewhere.
    const usual = plot([[BRIGHT, 1]]);
    const faulty = plot([
      [BRIGHT, 1],
      [EXTRA, 0.85],
    ]);
    for (const layers of [['block1_relu'], ['block2_relu'], ['block1_relu', 'block2_relu']]) {
      // The other class's plot (a dark patch) is not averaged in.
      const examples = { inputs: [usual, usual, plot([[DARK, 0]])], labels: [0, 0, 1] };
      const reference = await heatReference(model, layers, examples, 0, 'usual');
      expect(reference).toMatchObject({ label: 'usual', count: 2 });
      const plain = await classActivationMap(model, faulty, SHAPE, {
        method: 'layer-cam',
        layers,
        classIndex: 0,
      });
      const measured = await classActivationMap(model, faulty, SHAPE, {
        method: 'layer-cam',
        layers,
        classIndex: 0,
        ...(reference && { reference }),
      });
      expect({
        layers,
        plain: inPatch(heatPeak(plain), BRIGHT),
        measured: inPatch(heatPeak(measured), EXTRA),
      }).toEqual({
        layers,
        plain: true,
        measured: true,
      });
    }
  });

  it('measured from the kept plots nearest the one explained, points at its fault whatever its look', async () => {
    // Two looks of one plot type: the bright patch here or there. The mean of all is a blur of both,
    // and a plot of the rarer look differs from it most where its patch is; the nearest plots are
    // of its own look, so only its fault (a faint extra patch) is left.
    const OTHER = { x: 12, y: 10 };
    const usual = plot([[BRIGHT, 1]]);
    const other = plot([[OTHER, 1]]);
    const faulty = plot([
      [OTHER, 1],
      [EXTRA, 0.75],
    ]);
    const layers = ['block1_relu', 'block2_relu'];
    const examples = {
      inputs: [usual, usual, usual, other, other, plot([[DARK, 0]])],
      labels: [0, 0, 0, 0, 0, 1],
    };
    const exemplars = await heatExemplars(examples, 0, 'usual', SHAPE);
    expect({ label: exemplars?.label, of: exemplars?.of, count: exemplars?.pixels.length }).toEqual({
      label: 'usual',
      of: 5,
      count: 5,
    });
    const nearest = await nearestReference(
      model,
      layers,
      exemplars as NonNullable<typeof exemplars>,
      faulty,
      2,
    );
    // Kept as 8-bit pixels: the grey of 0.5 comes back as 128/255.
    const kept = modelInput(inputPixels(other, SHAPE), SHAPE);
    expect(Math.max(...kept.map((value, index) => Math.abs(value - (other[index] as number))))).toBeLessThan(
      1 / 255,
    );
    const ofItsLook = await heatReference(
      model,
      layers,
      { inputs: [kept, kept], labels: [0, 0] },
      0,
      'usual',
    );
    expect({ count: nearest?.count, of: nearest?.of }).toEqual({ count: 2, of: 5 });
    expect(nearest?.layers.map((layer) => Array.from(layer.values))).toEqual(
      ofItsLook?.layers.map((layer) => Array.from(layer.values)),
    );
    const peak = async (reference: typeof nearest) =>
      heatPeak(
        await classActivationMap(model, faulty, SHAPE, {
          method: 'layer-cam',
          layers,
          classIndex: 0,
          ...(reference && { reference }),
        }),
      );
    const ofAll = await heatReference(model, layers, examples, 0, 'usual');
    expect({ nearest: inPatch(await peak(nearest), EXTRA), all: inPatch(await peak(ofAll), OTHER) }).toEqual({
      nearest: true,
      all: true,
    });
  });

  it("makes a Good-reference model's nearest plots into inputs compared with the other kept plots", async () => {
    // Image and Good-reference channels; the model's first block reads the residual only.
    const shape = { ...SHAPE, goodReference: { nearest: 1, gain: 1 } };
    const inputs = tf.input({ shape: [SHAPE.height, SHAPE.width, 2] });
    const block = tf.layers.conv2d({ filters: 1, kernelSize: 1, name: 'block1_conv', useBias: false });
    const features = tf.layers.reLU({ name: 'block1_relu' }).apply(block.apply(inputs)) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({}).apply(features) as tf.SymbolicTensor;
    const model = tf.model({
      inputs,
      outputs: tf.layers.dense({ units: 2, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor,
    });
    block.setWeights([tf.tensor4d([0, 1], [1, 1, 2, 1])]);
    const level = (value: number) => new Uint8Array(SHAPE.height * SHAPE.width).fill(value);
    const exemplars = { label: 'Good', of: 3, input: shape, pixels: [level(100), level(140), level(200)] };
    const explained = modelInput(level(130), shape, exemplars.pixels);
    const nearest = await nearestReference(model, ['block1_relu'], exemplars, explained, 1);
    // The nearest kept plot (140) is compared with its own nearest other (100): its residual is 40 / 255.
    expect(nearest?.layers[0]?.values[0]).toBeCloseTo(40 / 255, 5);
    model.dispose();
  });

  it('keeps an even spread of the class as 8-bit pixels, bounded in count and bytes', async () => {
    // Each plot's number in two pixels, high byte first.
    const numbered = { height: 1, width: 2, channels: 1 } as const;
    const inputs = Array.from({ length: 600 }, (_, index) =>
      new Float32Array([index >> 8, index & 255]).map((value) => value / 255),
    );
    const many = { inputs, labels: inputs.map((_, index) => index % 2) };
    const small = await heatExemplars(many, 1, 'Good', numbered);
    const number = (pixels?: Uint8Array) => (pixels?.[0] ?? NaN) * 256 + (pixels?.[1] ?? NaN);
    expect({
      of: small?.of,
      count: small?.pixels.length,
      first: number(small?.pixels[0]),
      last: number(small?.pixels.at(-1)),
    }).toEqual({
      of: 300,
      count: MAX_HEAT_EXEMPLARS,
      first: 1,
      last: 597,
    });
    // Plots so large that only 3 fit the budget: a pixel is a byte, whatever the float32 input's size.
    const large = { height: 1, width: Math.floor(HEAT_EXEMPLAR_BYTES / 3), channels: 1 } as const;
    const plot = new Float32Array(large.width);
    const few = { inputs: Array(10).fill(plot), labels: Array(10).fill(0) };
    expect((await heatExemplars(few, 0, 'Good', large))?.pixels).toHaveLength(3);
    expect(await heatExemplars(few, 1, 'Bad', large)).toBeNull();
  });

  it('uses a reference only where it holds every layer, and refuses one of another shape', async () => {
    const examples = { inputs: [plot()], labels: [0] };
    const reference = await heatReference(model, ['block2_relu'], examples, 0, 'Good');
    expect(await heatReference(model, ['block2_relu'], examples, 1, 'Bad')).toBeNull();
    expect(referenceFor(reference, ['block2_relu'])).toBe(reference);
    expect(referenceFor(reference, ['block1_relu', 'block2_relu'])).toBeUndefined();
    expect(referenceFor(null, ['block2_relu'])).toBeUndefined();
    expect(reference?.layers.map((layer) => layer.shape)).toEqual([[8, 8, 2]]);
    // As many values as the layer has, in another shape.
    const misshapen = {
      label: 'Good',
      count: 1,
      layers: [{ name: 'block2_relu', shape: [4, 16, 2], values: new Float32Array(8 * 8 * 2) }],
    };
    await expect(
      classActivationMap(model, plot(), SHAPE, {
        method: 'layer-cam',
        layers: ['block2_relu'],
        reference: misshapen,
      }),
    ).rejects.toThrow('the heat reference of layer "block2_relu" is 4×16×2, its output 8×8×2');
  });

  it('explained against another class, weighs by the difference of their logits', async () => {
    const withHead = (kernel: number[]) => {
      const copy = brightOrDark();
      copy.getLayer('classes').setWeights([tf.tensor2d(kernel, [2, 2]), tf.zeros([2])]);
      return copy;
    };
    // Rows: the bright and the dark channel; columns: the classes. Class 0 rises with both channels,
    // the bright one most, but class 1 rises with the bright one more: against it, only dark is left.
    const contrasted = withHead([4, 6, 1, 0]);
    const difference = withHead([-2, 0, 1, 0]);
    const layers = ['block1_relu', 'block2_relu'];
    for (const method of CAM_METHODS) {
      const map = (model: tf.LayersModel, contrastIndex?: number) =>
        classActivationMap(model, plot(), SHAPE, { method, layers, classIndex: 0, contrastIndex });
      const [plain, against, itself, expected] = await Promise.all([
        map(contrasted),
        map(contrasted, 1),
        map(contrasted, 0),
        map(difference),
      ]);
      const largestGap = Math.max(
        ...against.heat.map((value, index) => Math.abs(value - (expected.heat[index] ?? 0))),
      );
      expect({
        method,
        plain: inPatch(heatPeak(plain), BRIGHT),
        against: inPatch(heatPeak(against), DARK),
        largestGap: largestGap < 1e-5,
        itself: Array.from(itself.heat).every((value, index) => value === plain.heat[index]),
      }).toEqual({ method, plain: true, against: true, largestGap: true, itself: true });
    }
    contrasted.dispose();
    difference.dispose();
  });

  it('explains the most probable class when none is asked for', async () => {
    const darker = plot().map((value) => (value === 1 ? 0.5 : value));
    const result = await classActivationMap(model, darker, SHAPE, {
      method: 'layer-cam',
      layers: ['block2_relu'],
    });
    expect(result.classIndex).toBe(1);
    expect(result.probabilities[1]).toBeGreaterThan(0.5);
  });

  it('fuses earlier blocks of the same kind while the rest of the model is a chain', () => {
    expect(heatMapOptions(model, 'block2_relu', { method: 'layer-cam', blocks: 1 }).layers).toEqual([
      'block2_relu',
    ]);
    expect(
      heatMapOptions(model, 'block2_relu', { method: 'layer-cam', blocks: 3 }, { classIndex: 1 }),
    ).toEqual({
      method: 'layer-cam',
      layers: ['block1_relu', 'block2_relu'],
      classIndex: 1,
    });
  });

  it('looks the contrast class up among the labels, and leaves it out where the model has no such class', () => {
    const method = { method: 'layer-cam', blocks: 1, contrast: 'Good' } as const;
    expect(heatMapOptions(model, 'block2_relu', method, { labels: ['Bad', 'Good'] })).toEqual({
      method: 'layer-cam',
      layers: ['block2_relu'],
      contrastIndex: 1,
    });
    expect(heatMapOptions(model, 'block2_relu', method, { classIndex: 0, labels: ['On', 'Off'] })).toEqual({
      method: 'layer-cam',
      layers: ['block2_relu'],
      classIndex: 0,
    });
  });

  it('skips the deepest blocks when asked, and falls back to the earliest block the chain reaches', () => {
    expect(heatMapOptions(model, 'block2_relu', { method: 'layer-cam', blocks: 1, skip: 1 }).layers).toEqual([
      'block1_relu',
    ]);
    expect(heatMapOptions(model, 'block2_relu', { method: 'layer-cam', blocks: 2, skip: 5 }).layers).toEqual([
      'block1_relu',
    ]);
  });

  it('stops at a branch: an earlier layer whose output also feeds a shortcut is not fused', () => {
    const inputs = tf.input({ shape: [8, 8, 1] });
    const first = tf.layers.reLU({ name: 'first' }).apply(inputs) as tf.SymbolicTensor;
    const convolved = tf.layers.conv2d({ filters: 1, kernelSize: 1 }).apply(first) as tf.SymbolicTensor;
    const joined = tf.layers.add().apply([first, convolved]) as tf.SymbolicTensor;
    const last = tf.layers.reLU({ name: 'last' }).apply(joined) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({}).apply(last) as tf.SymbolicTensor;
    const branched = tf.model({
      inputs,
      outputs: tf.layers.dense({ units: 2, activation: 'softmax' }).apply(pooled) as tf.SymbolicTensor,
    });
    expect(heatMapOptions(branched, 'last', { method: 'layer-cam', blocks: 2 }).layers).toEqual(['last']);
    branched.dispose();
  });
});
