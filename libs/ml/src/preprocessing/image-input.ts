import sharp from 'sharp';

/** What a model eats: `[height, width, channels]`, RGB scaled to [0, 1]. */
export interface InputShape {
  height: number;
  width: number;
  channels: 1 | 3;
}

/**
 * Decodes a PNG or JPEG and letterboxes it to the model's input: the plot keeps its aspect ratio
 * and the margin is white, like the canvas around every ROOT plot.
 */
export async function imageToInput(image: Buffer, shape: InputShape): Promise<Float32Array> {
  const { data } = await sharp(image)
    .removeAlpha()
    .resize(shape.width, shape.height, {
      fit: 'contain',
      background: { r: 255, g: 255, b: 255 },
      kernel: 'lanczos3',
    })
    .toColourspace(shape.channels === 1 ? 'b-w' : 'srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const expected = shape.height * shape.width * shape.channels;
  if (data.length !== expected)
    throw new Error(
      `decoded ${data.length} values, expected ${expected} for ${shape.height}×${shape.width}×${shape.channels}`,
    );
  const input = new Float32Array(expected);
  for (let index = 0; index < expected; index++) input[index] = (data[index] as number) / 255;
  return input;
}
