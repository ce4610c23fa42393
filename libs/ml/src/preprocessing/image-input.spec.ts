import { simulatePlot } from '@hydra/simulator';
import { letterboxGeometry } from '../explain/letterbox';
import { imageToInput, inputPixels, modelInput, regionPixels } from './image-input';

const SHAPE = { height: 60, width: 80, channels: 3 } as const;

describe('ignore regions in the model input', () => {
  it('cover every pixel a region touches, clamped to the image', () => {
    expect(regionPixels({ x: 0.25, y: 0.1, width: 0.5, height: 0.35 }, 10, 10)).toEqual({
      left: 2,
      top: 1,
      right: 8,
      bottom: 5,
    });
    expect(regionPixels({ x: 0.9, y: 0.9, width: 0.1 + 1e-12, height: 0.1 }, 10, 10)).toEqual({
      left: 9,
      top: 9,
      right: 10,
      bottom: 10,
    });
  });

  it('paints a region white in the original image and leaves the plot away from it as it was', async () => {
    const plot = await simulatePlot('FCAL_occupancy', 'Good', 7);
    const title = { x: 0, y: 0, width: 1, height: 0.25 };
    const plain = await imageToInput(plot.png, SHAPE);
    const masked = await imageToInput(plot.png, SHAPE, [title]);
    const { top, scale } = letterboxGeometry(plot.width, plot.height, SHAPE);
    const edge = top + Math.round(0.25 * plot.height * scale);
    // lanczos3 reaches three input pixels across the region's edge; beyond that nothing may change.
    const rows = (input: Float32Array, from: number, to: number) =>
      Array.from(input.subarray(from * SHAPE.width * 3, to * SHAPE.width * 3));
    expect(rows(plain, top, edge - 3).every((value) => value === 1)).toBe(false);
    expect(rows(masked, top, edge - 3).every((value) => value === 1)).toBe(true);
    expect(rows(masked, edge + 4, SHAPE.height)).toEqual(rows(plain, edge + 4, SHAPE.height));
  });

  it('masks a grey-scale model input the same way', async () => {
    const plot = await simulatePlot('FCAL_occupancy', 'Bad', 8);
    const grey = { ...SHAPE, channels: 1 } as const;
    const masked = await imageToInput(plot.png, grey, [{ x: 0.5, y: 0, width: 0.5, height: 1 }]);
    const rightHalf = Array.from({ length: grey.height }, (_, row) =>
      Array.from(masked.subarray(row * grey.width + grey.width / 2 + 3, (row + 1) * grey.width)),
    ).flat();
    expect(masked).toHaveLength(grey.height * grey.width);
    expect(rightHalf.every((value) => value === 1)).toBe(true);
  });
});

describe('a model input kept as its pixels', () => {
  it('is made again exactly from its 8-bit pixels, with or without the median residual', async () => {
    const plot = await simulatePlot('FCAL_occupancy', 'Bad', 9);
    for (const shape of [
      SHAPE,
      { ...SHAPE, medianResidual: { window: 5, gain: 10 } },
      { ...SHAPE, channels: 1 as const },
    ]) {
      const input = await imageToInput(plot.png, shape);
      const pixels = inputPixels(input, shape);
      expect(pixels).toHaveLength(shape.height * shape.width * shape.channels);
      expect(Array.from(modelInput(pixels, shape))).toEqual(Array.from(input));
    }
  });
});
