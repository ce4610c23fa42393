import { createHash } from 'node:crypto';
import type { ImageUploadResponse } from '@hydra/contracts';
import { OBJECT_STORE, type ObjectStore } from '@hydra/storage';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config';
import { ConcurrencyLimit } from './concurrency-limit';
import { checkEnvelope, decodeImage, ImageRejectedError, type InspectedImage } from './image-validation';
import { ImageOutboxRelay } from './image-outbox.relay';
import { ImageRepository, type StoredImage } from './image.repository';
import { decodeSeconds, ingestedImagesTotal, ingestSeconds, rejectedImagesTotal } from './ingest.metrics';
import type { PlotFileName } from './plot-file-name';

export interface ImageMetadata extends PlotFileName {
  capturedAt: Date;
}

export type IngestSource = 'watch' | 'upload';

/** The largest value of the `image` table's integer columns (run number, chunk). */
const INT4_MAX = 2_147_483_647;

/**
 * Validate → skip a re-delivery → decode → store → record with its `image.new` in the outbox (sent
 * by ImageOutboxRelay, so neither the watcher nor an upload waits for the broker). A delivery of
 * the same plot again (plot type, run, chunk, pad and bytes) is that plot's image; every other
 * plot gets its own row and verdict, even when its bytes match another's (empty NoData plots do).
 * Objects are stored at `images/<plotType>/<run>/<sha256>.<ext>`: identical bytes of one plot type
 * and run share one object, and a run's objects stay under its own prefix.
 */
@Injectable()
export class ImageIngestService {
  private readonly logger = new Logger(ImageIngestService.name);
  private readonly decodes: ConcurrencyLimit;

  constructor(
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly images: ImageRepository,
    private readonly outbox: ImageOutboxRelay,
  ) {
    this.decodes = new ConcurrencyLimit(config.limits.maxConcurrentDecodes);
  }

  /** Rejects with ImageRejectedError for bad input; any other error is the infrastructure's and worth a retry. */
  async ingest(bytes: Buffer, metadata: ImageMetadata, source: IngestSource): Promise<ImageUploadResponse> {
    const stopTimer = ingestSeconds.startTimer();
    try {
      checkMetadata(metadata);
      const format = checkEnvelope(bytes, this.config.limits);
      const key = { ...metadata, sha256: createHash('sha256').update(bytes).digest('hex') };
      const delivered = await this.images.findDelivery(key);
      const result = delivered
        ? await this.redelivered(delivered)
        : await this.storeNew(bytes, format, metadata, key.sha256);
      ingestedImagesTotal.inc({ source, outcome: result.duplicate ? 'duplicate' : 'stored' });
      stopTimer();
      return result;
    } catch (error) {
      if (error instanceof ImageRejectedError) this.countRejection(source, error);
      throw error;
    }
  }

  private async storeNew(
    bytes: Buffer,
    format: InspectedImage['format'],
    metadata: ImageMetadata,
    sha256: string,
  ): Promise<ImageUploadResponse> {
    const { width, height } = await this.decodes.run(async () => {
      const stopDecodeTimer = decodeSeconds.startTimer();
      try {
        return await decodeImage(bytes, format, this.config.limits);
      } finally {
        stopDecodeTimer();
      }
    });
    const storageKey = `images/${metadata.plotType}/${metadata.runNumber}/${sha256}.${format === 'png' ? 'png' : 'jpg'}`;
    await this.store.put(storageKey, bytes, { contentType: `image/${format}` });
    await this.images.registerPlotType(metadata.plotType, metadata.chunk !== null);
    const { image, duplicate } = await this.images.insert({
      plotType: metadata.plotType,
      runPeriod: metadata.runPeriod,
      runNumber: metadata.runNumber,
      chunk: metadata.chunk,
      pad: metadata.pad,
      capturedAt: metadata.capturedAt,
      sha256,
      storageKey,
      sizeBytes: bytes.length,
      width,
      height,
    });
    if (duplicate) return this.redelivered(image);
    this.outbox.kick();
    return { imageId: image.id, plotType: image.plotType, duplicate: false };
  }

  private async redelivered(image: StoredImage): Promise<ImageUploadResponse> {
    // A plot nobody has judged yet may be one whose first announcement was lost.
    if (!(await this.images.isClassified(image.id))) {
      await this.images.queueAnnouncement(image.id);
      this.outbox.kick();
    }
    this.logger.log(`duplicate of image ${image.id} (${image.plotType}, ${image.storageKey})`);
    return { imageId: image.id, plotType: image.plotType, duplicate: true };
  }

  /** Counts a refusal made before the image reached `ingest` (a bad name, bad metadata). */
  countRejection(source: IngestSource, error: ImageRejectedError): void {
    ingestedImagesTotal.inc({ source, outcome: 'rejected' });
    rejectedImagesTotal.inc({ reason: error.reason });
  }
}

/** What the callers' parsers should already have ensured, checked again before anything is written. */
function checkMetadata({ runNumber, chunk }: ImageMetadata): void {
  for (const [field, value] of [
    ['run number', runNumber],
    ['chunk', chunk ?? 0],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > INT4_MAX)
      throw new ImageRejectedError(
        'bad-metadata',
        `${field} ${value} is not a whole number from 0 to ${INT4_MAX}`,
      );
  }
}
