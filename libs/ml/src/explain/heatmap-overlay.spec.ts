import sharp from 'sharp';
import { heatmapOverlay } from './heatmap-overlay';
import { inputToImage, letterboxGeometry } from './letterbox';

const SHAPE = { height: 72, width: 96, channels: 3 } as const;

describe('heat-map overlay', () => {
  it('maps input pixels back through the letterbox', () => {
    // 400 × 300 fills a 96 × 72 input exactly: scale 0.24, no margins.
    expect(letterboxGeometry(400, 300, SHAPE)).toMatchObject({ width: 96, height: 72, left: 0, top: 0 });
    expect(inputToImage({ x: 47.5, y: 35.5 }, 400, 300, SHAPE)).toEqual({ x: 200, y: 150 });
    // A square image is centred with white bars left and right.
    expect(letterboxGeometry(300, 300, SHAPE)).toMatchObject({ width: 72, height: 72, left: 12, top: 0 });
  });

  it('colours the hot region of the original image and leaves cold regions nearly untouched', async () => {
    const image = await sharp({
      create: { width: 400, height: 300, channels: 3, background: { r: 255, g: 255, b: 255 } },
    })
      .png()
      .toBuffer();
    const heat = new Float32Array(SHAPE.height * SHAPE.width);
    for (let y = 10; y < 20; y++) for (let x = 70; x < 80; x++) heat[y * SHAPE.width + x] = 1; // top right
    const overlay = await heatmapOverlay(
      image,
      { heat, height: SHAPE.height, width: SHAPE.width, classIndex: 1, probabilities: [0, 1, 0] },
      SHAPE,
    );
    const { data, info } = await sharp(overlay).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([400, 300]);
    const pixel = (x: number, y: number) =>
      Array.from(data.subarray((y * 400 + x) * info.channels, (y * 400 + x) * info.channels + 3));
    expect(pixel(312, 62)[2]).toBeLessThan(120); // hot: red, little blue
    expect(pixel(50, 250)).toEqual([255, 255, 255]); // cold: the plot as it was
  });
});
