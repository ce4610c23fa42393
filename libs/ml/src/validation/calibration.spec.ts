import { seededRandom } from '../training/stratified-split';
import {
  applyTemperature,
  expectedCalibrationError,
  fitTemperature,
  temperatureScaling,
} from './calibration';
import { argMax } from './predictions';

/**
 * Predictions that are calibrated by construction: each label is drawn from softmax(logits).
 * A model reporting softmax(sharpness · logits) is over-confident for sharpness > 1.
 */
function synthetic(count: number, seed: number) {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const logits = Array.from({ length: count }, () => [0, 0, 0].map(() => 1.5 * gaussian()));
  const truth = applyTemperature(logits, 1, { logits: true }).map((row) => {
    let draw = random();
    const label = row.findIndex((probability) => (draw -= probability) < 0);
    return label === -1 ? row.length - 1 : label;
  });
  const reported = (sharpness: number) => applyTemperature(logits, 1 / sharpness, { logits: true });
  return { logits, truth, reported };
}

describe('expected calibration error', () => {
  it('weighs each bin by its share of verdicts and keeps the bins for a reliability diagram', () => {
    // Four verdicts at 0.8 of which two are right (gap 0.3), four certain and right (gap 0).
    const probabilities = [
      ...new Array(4).fill([0.8, 0.2]),
      ...new Array(2).fill([1, 0]),
      ...new Array(2).fill([0, 1]),
    ] as number[][];
    const { ece, bins } = expectedCalibrationError(probabilities, [0, 0, 1, 1, 0, 0, 1, 1]);
    expect(ece).toBeCloseTo(0.5 * 0.3);
    expect(bins).toHaveLength(15);
    expect(bins[12]).toMatchObject({ lower: 12 / 15, upper: 13 / 15, count: 4, accuracy: 0.5 });
    expect(bins[12]?.meanConfidence).toBeCloseTo(0.8);
    expect(bins[14]).toMatchObject({ count: 4, meanConfidence: 1, accuracy: 1 });
  });
});

describe('temperature scaling', () => {
  const validation = synthetic(3000, 11);
  const test = synthetic(3000, 12);

  it('finds T ≈ 1 for calibrated predictions', () => {
    expect(Math.abs(fitTemperature(validation.reported(1), validation.truth) - 1)).toBeLessThan(0.1);
  });

  it('softens over-confident predictions (T > 1) and sharpens under-confident ones (T < 1)', () => {
    const over = fitTemperature(validation.reported(2.5), validation.truth);
    expect(over).toBeGreaterThan(2.2);
    expect(over).toBeLessThan(2.8);
    const under = fitTemperature(validation.reported(0.5), validation.truth);
    expect(under).toBeGreaterThan(0.45);
    expect(under).toBeLessThan(0.55);
  });

  it('fits logits as well as probabilities', () => {
    const sharpened = validation.logits.map((row) => row.map((logit) => 2.5 * logit));
    expect(fitTemperature(sharpened, validation.truth, { logits: true })).toBeCloseTo(
      fitTemperature(validation.reported(2.5), validation.truth),
      3,
    );
  });

  it('lowers the calibration error on held-out images without changing a verdict', () => {
    const reported = test.reported(2.5);
    const scaling = temperatureScaling(
      { truth: validation.truth, outputs: validation.reported(2.5) },
      { truth: test.truth, outputs: reported },
    );
    expect(scaling.before.ece).toBeGreaterThan(0.1);
    expect(scaling.after.ece).toBeLessThan(scaling.before.ece / 3);
    const calibrated = applyTemperature(reported, scaling.temperature);
    calibrated.forEach((row, index) => {
      expect(argMax(row)).toBe(argMax(reported[index] as number[]));
      expect(row.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    });
  });

  it('leaves predictions without a wrong verdict alone, however unsure, and has nothing to fit without predictions', () => {
    expect(
      fitTemperature(
        [
          [1, 0],
          [0, 1],
        ],
        [0, 1],
      ),
    ).toBe(1);
    // Sharpening these would always lower the loss: the fit would run to the end of its range.
    expect(
      fitTemperature(
        [
          [0.6, 0.4],
          [0.3, 0.7],
        ],
        [0, 1],
      ),
    ).toBe(1);
    expect(fitTemperature([], [])).toBe(1);
  });

  it('refuses a temperature that is not a positive number', () => {
    expect(() => applyTemperature([[0.5, 0.5]], 0)).toThrow(
      'a temperature must be a positive number (got 0)',
    );
  });
});
