import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';

/** Why an image was refused; also the `reason` label of the rejection metric. */
export type RejectionReason =
  | 'not-an-image'
  | 'truncated'
  | 'too-large'
  | 'too-many-pixels'
  | 'undecodable'
  | 'bad-name'
  | 'bad-metadata'
  | 'symlink'
  | 'unreadable';

/** An image Hydra will not store, with a message for the producer. */
export class ImageRejectedError extends Error {
  override readonly name = 'ImageRejectedError';
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
  }
}

export interface ImageLimits {
  maxBytes: number;
  maxPixels: number;
}

export interface InspectedImage {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_IEND = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
const JPEG_SOI = Buffer.from([0xff, 0xd8, 0xff]);
const JPEG_EOI = Buffer.from([0xff, 0xd9]);

/** The format by content (magic bytes), whatever the name says. */
export function sniffFormat(bytes: Buffer): 'png' | 'jpeg' | null {
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes.subarray(0, 3).equals(JPEG_SOI)) return 'jpeg';
  return null;
}

/** Whether the file ends where its format says it ends: a writer still at work has not got there. */
export function looksComplete(bytes: Buffer): boolean {
  const format = sniffFormat(bytes);
  if (format === 'png') return bytes.subarray(-PNG_IEND.length).equals(PNG_IEND);
  // Some cameras pad a JPEG after its end-of-image marker.
  if (format === 'jpeg') return bytes.subarray(-64).includes(JPEG_EOI);
  return false;
}

/** Checks format, completeness, size and pixel count, then decodes it once so a stored image is known to be readable. */
export async function inspectImage(bytes: Buffer, limits: ImageLimits): Promise<InspectedImage> {
  return decodeImage(bytes, checkEnvelope(bytes, limits), limits);
}

/** The checks that cost no decoding: size, format by content, end marker. */
export function checkEnvelope(bytes: Buffer, limits: ImageLimits): InspectedImage['format'] {
  if (bytes.length > limits.maxBytes) throw tooLarge(bytes.length, limits.maxBytes);
  const format = sniffFormat(bytes);
  if (!format) throw new ImageRejectedError('not-an-image', 'the content is neither PNG nor JPEG');
  if (!looksComplete(bytes))
    throw new ImageRejectedError('truncated', `the ${format.toUpperCase()} ends before its end marker`);
  return format;
}

export function tooLarge(size: number, maxBytes: number): ImageRejectedError {
  return new ImageRejectedError('too-large', `${size} bytes is over the limit of ${maxBytes}`);
}

/**
 * Reads the dimensions from the header (refusing too many pixels before decoding them), then
 * decodes every pixel once. The pixels stream past and are dropped, so a decode holds a few rows
 * rather than the whole image.
 */
export async function decodeImage(
  bytes: Buffer,
  format: InspectedImage['format'],
  limits: ImageLimits,
): Promise<InspectedImage> {
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes).metadata());
  } catch (error) {
    throw new ImageRejectedError('undecodable', `unreadable header: ${(error as Error).message}`);
  }
  if (!width || !height) throw new ImageRejectedError('undecodable', 'the image has no dimensions');
  if (width * height > limits.maxPixels) {
    throw new ImageRejectedError(
      'too-many-pixels',
      `${width}×${height} is ${(width * height).toLocaleString('en')} pixels, over the limit of ${limits.maxPixels.toLocaleString('en')}`,
    );
  }
  try {
    const pixels = sharp(bytes, { failOn: 'error', limitInputPixels: limits.maxPixels }).raw();
    await pipeline(pixels, new Writable({ write: (_chunk, _encoding, next) => next() }));
  } catch (error) {
    throw new ImageRejectedError('undecodable', `the pixel data is corrupt: ${(error as Error).message}`);
  }
  return { format, width, height };
}
