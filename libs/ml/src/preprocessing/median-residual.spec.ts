import { simulatePlot } from '@hydra/simulator';
import { imageToInput } from './image-input';
import { withMedianResidual } from './median-residual';

const RESIDUAL = { window: 5, gain: 10 };

/** The residual channel of `channel` at (row, column) of a withMedianResidual output. */
const residualAt = (
  output: Float32Array,
  width: number,
  channels: number,
  row: number,
  column: number,
  channel = 0,
) => output[(row * width + column) * 2 * channels + channels + channel] as number;

/** The median of the clamped window by sorting, as a check on the running histogram. */
function sortedMedian(
  bytes: Uint8Array,
  height: number,
  width: number,
  channels: number,
  row: number,
  column: number,
  channel: number,
) {
  const values: number[] = [];
  for (let dy = -2; dy <= 2; dy++)
    for (let dx = -2; dx <= 2; dx++) {
      const y = Math.min(height - 1, Math.max(0, row + dy));
      const x = Math.min(width - 1, Math.max(0, column + dx));
      values.push(bytes[(y * width + x) * channels + channel] as number);
    }
  return values.sort((a, b) => a - b)[12] as number;
}

describe('withMedianResidual', () => {
  it('gives each channel its value and its residual from the window’s median, edges clamped', () => {
    const [height, width, channels] = [7, 9, 3];
    let state = 7;
    const bytes = Uint8Array.from({ length: height * width * channels }, () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % 256;
    });
    const output = withMedianResidual(bytes, height, width, channels, RESIDUAL);
    expect(output).toHaveLength(2 * bytes.length);
    for (let row = 0; row < height; row++)
      for (let column = 0; column < width; column++)
        for (let channel = 0; channel < channels; channel++) {
          const value = bytes[(row * width + column) * channels + channel] as number;
          const median = sortedMedian(bytes, height, width, channels, row, column, channel);
          expect(output[(row * width + column) * 2 * channels + channel]).toBeCloseTo(value / 255, 6);
          expect(residualAt(output, width, channels, row, column, channel)).toBeCloseTo(
            ((value - median) / 255) * 10,
            5,
          );
        }
  });

  it('lights an isolated cell and leaves a straight edge dark', () => {
    const [height, width] = [12, 12];
    // Grey: the left half dark (an edge down the middle), one bright cell in the dark half.
    const bytes = Uint8Array.from({ length: height * width }, (_, index) => (index % width < 6 ? 40 : 255));
    bytes[5 * width + 2] = 200;
    const output = withMedianResidual(bytes, height, width, 1, RESIDUAL);
    expect(residualAt(output, width, 1, 5, 2)).toBeCloseTo(((200 - 40) / 255) * 10, 5);
    const elsewhere = Array.from({ length: height * width }, (_, index) => index)
      .filter((index) => index !== 5 * width + 2)
      .map((index) => residualAt(output, width, 1, Math.floor(index / width), index % width));
    expect(elsewhere.every((value) => value === 0)).toBe(true);
  });

  it('follows the image in imageToInput, where the shape asks for it', async () => {
    const plot = await simulatePlot('FCAL_occupancy', 'Bad', 3);
    const shape = { height: 48, width: 64, channels: 3 } as const;
    const plain = await imageToInput(plot.png, shape);
    const withResidual = await imageToInput(plot.png, { ...shape, medianResidual: RESIDUAL });
    expect(withResidual).toHaveLength(2 * plain.length);
    const colours = Array.from({ length: shape.height * shape.width }, (_, pixel) =>
      Array.from(withResidual.subarray(pixel * 6, pixel * 6 + 3)),
    ).flat();
    expect(colours).toEqual(Array.from(plain));
    const residuals = Array.from({ length: shape.height * shape.width }, (_, pixel) =>
      Array.from(withResidual.subarray(pixel * 6 + 3, pixel * 6 + 6)),
    ).flat();
    expect(residuals.some((value) => value !== 0)).toBe(true);
  });
});
