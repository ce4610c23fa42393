import type { Readable } from 'node:stream';
import { heatmapKey } from '@hydra/contracts';
import { OBJECT_STORE, ObjectNotFoundError, type ObjectStore } from '@hydra/storage';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import sharp from 'sharp';
import { ImageRepository } from './image.repository';

/** The box a thumbnail fits inside, keeping the plot's aspect ratio. */
const THUMBNAIL_SIZE = 256;

/** The pixels behind an image: the original PNG, its WebP thumbnail, its heat maps. */
@Injectable()
export class ImageFileService {
  /** Thumbnails being made in this process, so concurrent first requests share one sharp run. */
  private readonly making = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly images: ImageRepository,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
  ) {}

  async file(id: string): Promise<Readable> {
    const image = await this.image(id);
    return this.open(image.storageKey, `image ${id}'s file`);
  }

  /** Made once with sharp and kept at `thumbs/<sha256>.webp`; the same bytes share one thumbnail. */
  async thumbnail(id: string): Promise<Buffer> {
    const image = await this.image(id);
    const key = `thumbs/${image.sha256}.webp`;
    try {
      return await this.store.get(key);
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
    }
    let pending = this.making.get(key);
    if (!pending) {
      pending = this.makeThumbnail(id, image.storageKey, key).finally(() => this.making.delete(key));
      this.making.set(key, pending);
    }
    return pending;
  }

  /** The verdict's heat map, or with a label the one of that class the explainer made on request. */
  async heatmap(id: string, modelId: string, label?: string): Promise<Readable> {
    if (label !== undefined)
      return this.open(
        heatmapKey(id, modelId, label),
        `the ${label} heat map of image ${id} by model ${modelId}`,
      );
    const explanation = await this.images.heatmap(id, modelId);
    if (!explanation) throw new NotFoundException(`no heat map of image ${id} by model ${modelId}`);
    return this.open(explanation.heatmapKey, `the heat map of image ${id} by model ${modelId}`);
  }

  private async image(id: string) {
    const image = await this.images.findById(id);
    if (!image) throw new NotFoundException(`no image ${id}`);
    return image;
  }

  // Another replica may make the same thumbnail at the same time: both write identical bytes, and a
  // store's put replaces atomically, so the race is harmless.
  private async makeThumbnail(id: string, sourceKey: string, key: string): Promise<Buffer> {
    const original = await this.store.get(sourceKey).catch((error: unknown) => {
      throw error instanceof ObjectNotFoundError ? missing(`image ${id}'s file`, sourceKey) : error;
    });
    const thumbnail = await sharp(original)
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    await this.store.put(key, thumbnail, { contentType: 'image/webp' });
    return thumbnail;
  }

  private async open(key: string, what: string): Promise<Readable> {
    try {
      return await this.store.getStream(key);
    } catch (error) {
      throw error instanceof ObjectNotFoundError ? missing(what, key) : error;
    }
  }
}

function missing(what: string, key: string): NotFoundException {
  return new NotFoundException(`${what} (${key}) is missing from the object store`);
}
