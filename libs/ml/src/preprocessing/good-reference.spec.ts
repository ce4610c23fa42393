import { DEFAULT_GOOD_REFERENCE, referenceResidual } from './good-reference';
import { blankInput, inputPixels, modelChannels, modelInput, withoutGoodReference } from './image-input';

/** A 4 × 4 grey plot with every pixel `level`, `changes` ([pixel, value]) applied. */
function plot(level: number, changes: [number, number][] = []): Uint8Array {
  const pixels = new Uint8Array(16).fill(level);
  for (const [pixel, value] of changes) pixels[pixel] = value;
  return pixels;
}

const SHAPE = { height: 4, width: 4, channels: 1 as const, goodReference: DEFAULT_GOOD_REFERENCE };

describe('the residual from the nearest Good plots', () => {
  it('is the plot less the pixelwise median of its 3 nearest Good plots, times the gain', () => {
    const goods = [plot(100), plot(102, [[5, 90]]), plot(104), plot(200)];
    const hot = plot(101, [[5, 160]]);
    const residual = referenceResidual(hot, goods, { nearest: 3, gain: 10 });
    // The nearest three are 100, 102 (90 at pixel 5) and 104; 200 is left out. Medians: 102, and 100 at pixel 5.
    expect(residual[0]).toBeCloseTo(((101 - 102) / 255) * 10, 6);
    expect(residual[5]).toBeCloseTo(((160 - 100) / 255) * 10, 6);
  });

  it('takes the mean of the middle two of an even number of nearest plots, whatever their order', () => {
    const goods = [plot(130), plot(100), plot(250), plot(120), plot(110)];
    // The nearest four of 116 are 120, 110, 130 and 100: the median is (110 + 120) / 2.
    const residual = referenceResidual(plot(116), goods, { nearest: 4, gain: 10 });
    expect(residual[0]).toBeCloseTo(((116 - 115) / 255) * 10, 6);
  });

  it('leaves out a Good plot identical to the plot, so a Good training plot is never its own reference', () => {
    const goods = [plot(100), plot(110), plot(140)];
    const residual = referenceResidual(plot(100), goods, { nearest: 1, gain: 1 });
    expect(residual[0]).toBeCloseTo((100 - 110) / 255, 6);
    expect(() => referenceResidual(plot(100), [plot(100)], DEFAULT_GOOD_REFERENCE)).toThrow(
      'there is no Good reference plot to compare the image with',
    );
  });

  it('refuses Good plots of another size', () => {
    expect(() => referenceResidual(plot(1), [new Uint8Array(15)], DEFAULT_GOOD_REFERENCE)).toThrow(
      'a Good reference plot has 15 values, the image 16',
    );
  });
});

describe('a model input with a Good reference', () => {
  it('follows the image channels and the median residual with the reference residual, per pixel', () => {
    const shape = { ...SHAPE, channels: 3 as const, medianResidual: { window: 3, gain: 10 } };
    const rgb = (level: number) => new Uint8Array(48).fill(level);
    const pixels = rgb(120);
    pixels[3 * 5 + 1] = 250; // pixel 5's green
    const input = modelInput(pixels, shape, [rgb(100), rgb(110), rgb(130)]);
    expect(modelChannels(shape)).toBe(9);
    expect(input).toHaveLength(16 * 9);
    const at = (pixel: number, channel: number) => input[pixel * 9 + channel] as number;
    expect(at(5, 1)).toBeCloseTo(250 / 255, 6);
    expect(at(5, 4)).toBeCloseTo(((250 - 120) / 255) * 10, 5); // its median residual
    expect(at(5, 7)).toBeCloseTo(((250 - 110) / 255) * 10, 5); // its Good reference residual
    expect(at(0, 6)).toBeCloseTo(((120 - 110) / 255) * 10, 5);
    expect(blankInput(shape)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0]);
    // The pixels come back from the input, its residuals dropped.
    expect(Array.from(inputPixels(input, shape))).toEqual(Array.from(pixels));
  });

  it('cannot be made without the Good plots, and reads them as the image alone', () => {
    expect(() => modelInput(plot(3), SHAPE)).toThrow(
      'the model compares each plot with its Good training plots, and none were given',
    );
    expect(withoutGoodReference(SHAPE)).toEqual({ height: 4, width: 4, channels: 1 });
    expect(modelInput(plot(51), withoutGoodReference(SHAPE))[0]).toBeCloseTo(0.2, 6);
  });
});
