import sharp from 'sharp';
import { ImageRejectedError, inspectImage, looksComplete } from './image-validation';

const limits = { maxBytes: 1_000_000, maxPixels: 1_000_000 };

function solid(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: '#3366cc' } });
}

async function rejection(bytes: Buffer, custom = limits): Promise<ImageRejectedError> {
  const error = await inspectImage(bytes, custom).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(error instanceof ImageRejectedError)) throw new Error(`expected a rejection, got ${String(error)}`);
  return error;
}

describe('inspectImage', () => {
  it('accepts PNG and JPEG by content and reports their size', async () => {
    await expect(inspectImage(await solid(40, 30).png().toBuffer(), limits)).resolves.toEqual({
      format: 'png',
      width: 40,
      height: 30,
    });
    await expect(inspectImage(await solid(40, 30).jpeg().toBuffer(), limits)).resolves.toMatchObject({
      format: 'jpeg',
    });
  });

  it('refuses a JSON file whatever its name', async () => {
    expect((await rejection(Buffer.from('{"plot": "FCAL"}'))).reason).toBe('not-an-image');
  });

  it('refuses a truncated PNG, which is also how a half-written one looks', async () => {
    const png = await solid(200, 100).png().toBuffer();
    const half = png.subarray(0, Math.floor(png.length / 2));
    expect(looksComplete(png)).toBe(true);
    expect(looksComplete(half)).toBe(false);
    expect((await rejection(half)).reason).toBe('truncated');
  });

  it('refuses a PNG whose pixel data is corrupt though it ends properly', async () => {
    const png = Buffer.from(await solid(200, 100).png({ compressionLevel: 0 }).toBuffer());
    png.fill(0xff, 100, png.length - 40);
    expect((await rejection(png)).reason).toBe('undecodable');
  });

  it('refuses too many pixels from the header, before decoding them', async () => {
    // 10 000 × 10 000 = 100 megapixels, but a tiny file: all one colour.
    const huge = await solid(10_000, 10_000).png({ compressionLevel: 9 }).toBuffer();
    const error = await rejection(huge, { maxBytes: 50_000_000, maxPixels: 25_000_000 });
    expect(error.reason).toBe('too-many-pixels');
    expect(error.message).toContain('100,000,000 pixels');
  });

  it('refuses too many bytes', async () => {
    const png = await solid(100, 100).png().toBuffer();
    expect((await rejection(png, { maxBytes: 100, maxPixels: 1e6 })).reason).toBe('too-large');
  });
});
