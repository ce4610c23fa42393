import sharp from 'sharp';
import { type GoodReference, referenceResidual } from './good-reference';
import { type MedianResidual, withMedianResidual } from './median-residual';

/**
 * What a model eats: `[height, width, channels]`, RGB scaled to [0, 1], followed per pixel by
 * as many median-residual channels where `medianResidual` is set, then as many Good-reference
 * residual channels where `goodReference` is set (modelChannels).
 */
export interface InputShape {
  height: number;
  width: number;
  /** Of the image: grey or RGB. */
  channels: 1 | 3;
  /** Absent in manifests from before it existed: none. */
  medianResidual?: MedianResidual;
  /** Absent in manifests from before it existed: none. Needs the model's Good plots (ReferencePlots). */
  goodReference?: GoodReference;
}

/**
 * The Good training plots' 8-bit pixels that a model with a Good reference compares each plot with,
 * kept with the model as its heat exemplars.
 */
export type ReferencePlots = readonly Uint8Array[];

/** `shape` without its Good reference: how the reference plots themselves are read before there are any. */
export function withoutGoodReference(shape: InputShape): InputShape {
  const plain = { ...shape };
  delete plain.goodReference;
  return plain;
}

/** The channels of the model's input tensor: the image's, and as many again for each residual. */
export function modelChannels(shape: InputShape): number {
  return shape.channels * (1 + Number(Boolean(shape.medianResidual)) + Number(Boolean(shape.goodReference)));
}

/** Each input channel's value on a blank (white) plot: 1 for the image's channels, 0 for their residuals. */
export function blankInput(shape: InputShape): number[] {
  return Array.from({ length: modelChannels(shape) }, (_, channel) => (channel < shape.channels ? 1 : 0));
}

/**
 * A rectangle of a plot the model must not see (title, legend, stats box, axes), in fractions of
 * the original image from its top-left corner; the plot type's setting, recorded in each manifest.
 */
export interface IgnoreRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The white of the letterbox margin, which also covers the ignore regions. */
const WHITE = { r: 255, g: 255, b: 255 };

/**
 * Decodes a PNG or JPEG and letterboxes it to the model's input: the plot keeps its aspect ratio
 * and the margin is white, like the canvas around every ROOT plot. Each ignore region is painted
 * white in the original image first, so training, inference and Grad-CAM see the same masked plot.
 * The residuals, where the shape has them, are computed on the letterboxed input (`references`: the
 * model's Good plots, for its Good reference).
 */
export async function imageToInput(
  image: Buffer,
  shape: InputShape,
  ignoreRegions: readonly IgnoreRegion[] = [],
  references?: ReferencePlots,
): Promise<Float32Array> {
  const source = ignoreRegions.length ? await paintedWhite(image, ignoreRegions) : sharp(image);
  const { data } = await source
    .removeAlpha()
    .resize(shape.width, shape.height, { fit: 'contain', background: WHITE, kernel: 'lanczos3' })
    .toColourspace(shape.channels === 1 ? 'b-w' : 'srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const expected = shape.height * shape.width * shape.channels;
  if (data.length !== expected)
    throw new Error(
      `decoded ${data.length} values, expected ${expected} for ${shape.height}×${shape.width}×${shape.channels}`,
    );
  return modelInput(data, shape, references);
}

/**
 * The model input of a letterboxed 8-bit image (height × width × channels, interleaved): its
 * values scaled to [0, 1], with the median residual and the residual from `references` where the
 * shape has them.
 */
export function modelInput(pixels: Uint8Array, shape: InputShape, references?: ReferencePlots): Float32Array {
  const image = shape.medianResidual
    ? withMedianResidual(pixels, shape.height, shape.width, shape.channels, shape.medianResidual)
    : Float32Array.from(pixels, (value) => value / 255);
  if (!shape.goodReference) return image;
  if (!references?.length)
    throw new Error('the model compares each plot with its Good training plots, and none were given');
  const residual = referenceResidual(pixels, references, shape.goodReference);
  const [before, channels] = [image.length / (shape.height * shape.width), shape.channels];
  const input = new Float32Array(shape.height * shape.width * modelChannels(shape));
  for (let pixel = 0; pixel < shape.height * shape.width; pixel++) {
    input.set(image.subarray(pixel * before, (pixel + 1) * before), pixel * (before + channels));
    input.set(
      residual.subarray(pixel * channels, (pixel + 1) * channels),
      pixel * (before + channels) + before,
    );
  }
  return input;
}

/**
 * The 8-bit image a model input was made from (modelInput's inverse): each pixel's image channels,
 * its residual channels dropped, rounded to the nearest of 256 levels.
 */
export function inputPixels(input: Float32Array, shape: InputShape): Uint8Array {
  const stride = modelChannels(shape);
  const pixels = new Uint8Array(shape.height * shape.width * shape.channels);
  for (let pixel = 0; pixel < shape.height * shape.width; pixel++)
    for (let channel = 0; channel < shape.channels; channel++) {
      const value = input[pixel * stride + channel] as number;
      pixels[pixel * shape.channels + channel] = Math.round(255 * Math.min(1, Math.max(0, value)));
    }
  return pixels;
}

/** The whole pixels a region touches in an image of width × height: columns [left, right), rows [top, bottom). */
export function regionPixels(region: IgnoreRegion, width: number, height: number) {
  const clamp = (value: number, limit: number) => Math.min(limit, Math.max(0, value));
  return {
    left: clamp(Math.floor(region.x * width), width),
    top: clamp(Math.floor(region.y * height), height),
    right: clamp(Math.ceil((region.x + region.width) * width), width),
    bottom: clamp(Math.ceil((region.y + region.height) * height), height),
  };
}

/**
 * The image decoded once at its own size with the regions filled white, ready to letterbox. sharp
 * composites only after resizing, so the pixels are painted here rather than in its pipeline.
 */
async function paintedWhite(image: Buffer, regions: readonly IgnoreRegion[]): Promise<sharp.Sharp> {
  const { data, info } = await sharp(image)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  for (const region of regions) {
    const { left, top, right, bottom } = regionPixels(region, width, height);
    if (right <= left) continue;
    for (let row = top; row < bottom; row++)
      data.fill(255, (row * width + left) * channels, (row * width + right) * channels);
  }
  return sharp(data, { raw: { width, height, channels } });
}
