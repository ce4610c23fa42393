import { heatPeak } from './grad-cam';
import { withoutIgnoredHeat } from './ignored-heat';
import { inputToImage } from './letterbox';

const SHAPE = { height: 72, width: 96, channels: 3 } as const;

/** Heat rising towards the top centre, hottest in the first row: where a plot's title sits. */
function titleHeat() {
  const heat = Float32Array.from({ length: SHAPE.height * SHAPE.width }, (_, index) => {
    const [x, y] = [index % SHAPE.width, Math.floor(index / SHAPE.width)];
    return 1 - Math.abs(x - SHAPE.width / 2) / SHAPE.width - y / (2 * SHAPE.height);
  });
  return { heat, height: SHAPE.height, width: SHAPE.width, classIndex: 1, probabilities: [0, 1, 0] };
}

describe('heat inside ignore regions', () => {
  it('is zero, through the letterbox, so the peak lies outside every region', () => {
    // A square 300 × 300 image: scale 0.24, a 12-pixel white bar left and right.
    const title = { x: 0, y: 0, width: 1, height: 0.2 };
    const legend = { x: 0, y: 0.2, width: 0.25, height: 0.3 };
    const result = titleHeat();
    const inside = (point: { x: number; y: number }) =>
      [title, legend].some(
        (region) =>
          point.x >= region.x * 300 &&
          point.x < (region.x + region.width) * 300 &&
          point.y >= region.y * 300 &&
          point.y < (region.y + region.height) * 300,
      );
    expect(inside(inputToImage(heatPeak(result), 300, 300, SHAPE))).toBe(true);

    const masked = withoutIgnoredHeat(result, [title, legend], 300, 300, SHAPE);
    for (let y = 0; y < SHAPE.height; y++)
      for (let x = 0; x < SHAPE.width; x++) {
        // Pixels whose centre maps into a region are certainly covered; their heat is gone.
        if (inside(inputToImage({ x, y }, 300, 300, SHAPE))) expect(masked.heat[y * SHAPE.width + x]).toBe(0);
      }
    expect(inside(inputToImage(heatPeak(masked), 300, 300, SHAPE))).toBe(false);
    expect(Math.max(...masked.heat)).toBeCloseTo(1, 6);
    // Rows 0–14 of the input hold the title (60 image rows × 0.24); row 15 keeps its heat.
    expect(masked.heat[15 * SHAPE.width + 40]).toBeGreaterThan(0);
    expect(masked.heat[14 * SHAPE.width + 40]).toBe(0);
    // The letterbox bars are no part of the image, so no region reaches them.
    expect(masked.heat[30 * SHAPE.width + 5]).toBeGreaterThan(0);
  });

  it('leaves the heat map alone without regions', () => {
    const result = titleHeat();
    expect(withoutIgnoredHeat(result, [], 300, 300, SHAPE)).toBe(result);
  });
});
