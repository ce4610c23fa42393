import sharp from 'sharp';
import type { InputShape } from '../preprocessing/image-input';
import type { GradCamResult } from './grad-cam';
import { letterboxGeometry } from './letterbox';

/** Turbo-like stops: cold blue through green and yellow to hot red. */
const STOPS: [number, number, number][] = [
  [48, 18, 59],
  [70, 134, 251],
  [27, 229, 181],
  [164, 252, 60],
  [251, 185, 56],
  [228, 70, 10],
  [122, 4, 3],
];

/**
 * The heat map drawn over the original image at its own size: colour by heat, opacity rising with
 * heat so cold regions leave the plot readable. The letterbox margins are cut away first. A
 * description (how the map was made, of which class) goes into the PNG's EXIF ImageDescription.
 */
export async function heatmapOverlay(
  image: Buffer,
  result: GradCamResult,
  shape: InputShape,
  description?: string,
): Promise<Buffer> {
  const { width: imageWidth = 0, height: imageHeight = 0 } = await sharp(image).metadata();
  const box = letterboxGeometry(imageWidth, imageHeight, shape);
  const rgba = Buffer.alloc(result.width * result.height * 4);
  result.heat.forEach((value, index) => {
    const [red, green, blue] = colour(value);
    rgba.set([red, green, blue, Math.round(255 * Math.min(1, value) * 0.65)], index * 4);
  });
  const layer = await sharp(rgba, { raw: { width: result.width, height: result.height, channels: 4 } })
    .extract({ left: box.left, top: box.top, width: box.width, height: box.height })
    .resize(imageWidth, imageHeight, { kernel: 'cubic' })
    .png()
    .toBuffer();
  const overlay = sharp(image)
    .removeAlpha()
    .composite([{ input: layer }])
    .png();
  return (description ? overlay.withExif({ IFD0: { ImageDescription: description } }) : overlay).toBuffer();
}

function colour(value: number): [number, number, number] {
  const position = Math.min(1, Math.max(0, value)) * (STOPS.length - 1);
  const low = Math.floor(position);
  const high = Math.min(STOPS.length - 1, low + 1);
  const fraction = position - low;
  const a = STOPS[low] as [number, number, number];
  const b = STOPS[high] as [number, number, number];
  return [0, 1, 2].map((channel) =>
    Math.round((a[channel] as number) + ((b[channel] as number) - (a[channel] as number)) * fraction),
  ) as [number, number, number];
}
