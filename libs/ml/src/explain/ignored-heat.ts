import { type IgnoreRegion, type InputShape, regionPixels } from '../preprocessing/image-input';
import type { GradCamResult } from './grad-cam';
import { letterboxGeometry } from './letterbox';

/**
 * The heat map with no heat where the model was told not to look: every heat pixel that overlaps an
 * ignore region of the width × height image (through the letterbox) is zeroed, and the rest is
 * normalised to [0, 1] again, so the peak can never sit in a title, legend or stats box.
 */
export function withoutIgnoredHeat(
  result: GradCamResult,
  regions: readonly IgnoreRegion[],
  imageWidth: number,
  imageHeight: number,
  shape: Pick<InputShape, 'width' | 'height'>,
): GradCamResult {
  if (!regions.length) return result;
  const box = letterboxGeometry(imageWidth, imageHeight, shape);
  const heat = Float32Array.from(result.heat);
  const toInput = (pixel: number, offset: number, limit: number, round: (value: number) => number) =>
    Math.min(limit, Math.max(0, round(offset + pixel * box.scale)));
  for (const region of regions) {
    const pixels = regionPixels(region, imageWidth, imageHeight);
    const left = toInput(pixels.left, box.left, result.width, Math.floor);
    const right = toInput(pixels.right, box.left, result.width, Math.ceil);
    const top = toInput(pixels.top, box.top, result.height, Math.floor);
    const bottom = toInput(pixels.bottom, box.top, result.height, Math.ceil);
    for (let row = top; row < bottom; row++)
      heat.fill(0, row * result.width + left, row * result.width + right);
  }
  const peak = heat.reduce((highest, value) => Math.max(highest, value), 0);
  if (peak > 0)
    for (let index = 0; index < heat.length; index++) heat[index] = (heat[index] as number) / peak;
  return { ...result, heat };
}
