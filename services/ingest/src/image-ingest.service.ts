import { createHash } from 'node:crypto';
import { type ImageUploadResponse, Subjects } from '@hydra/contracts';
import { imageNewPayload } from '@hydra/db';
import { EventPublisher } from '@hydra/messaging';
import { OBJECT_STORE, type ObjectStore } from '@hydra/storage';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config';
import { ImageRejectedError, inspectImage } from './image-validation';
import { ImageRepository, type StoredImage } from './image.repository';
import { ingestedImagesTotal, ingestSeconds, rejectedImagesTotal } from './ingest.metrics';
import type { PlotFileName } from './plot-file-name';

export interface ImageMetadata extends PlotFileName {
  capturedAt: Date;
}

export type IngestSource = 'watch' | 'upload';

/** Validate → store under a content-addressed key → record → announce `image.new`; the same bytes twice are one image. */
@Injectable()
export class ImageIngestService {
  private readonly logger = new Logger(ImageIngestService.name);

  constructor(
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly images: ImageRepository,
    private readonly events: EventPublisher,
  ) {}

  /** Rejects with ImageRejectedError for bad input; any other error is the infrastructure's and worth a retry. */
  async ingest(bytes: Buffer, metadata: ImageMetadata, source: IngestSource): Promise<ImageUploadResponse> {
    const stopTimer = ingestSeconds.startTimer();
    let inspected;
    try {
      inspected = await inspectImage(bytes, this.config.limits);
    } catch (error) {
      if (error instanceof ImageRejectedError) this.countRejection(source, error);
      throw error;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const extension = inspected.format === 'png' ? 'png' : 'jpg';
    const storageKey = `images/${metadata.plotType}/${metadata.runNumber}/${sha256}.${extension}`;
    await this.store.put(storageKey, bytes, { contentType: `image/${inspected.format}` });
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
      width: inspected.width,
      height: inspected.height,
    });
    // A duplicate of an image nobody has judged yet may be one whose first announcement was lost.
    if (!duplicate || !(await this.images.isClassified(image.id))) await this.announce(image);
    ingestedImagesTotal.inc({ source, outcome: duplicate ? 'duplicate' : 'stored' });
    stopTimer();
    if (duplicate) this.logger.log(`duplicate of image ${image.id} (${image.plotType}, ${image.storageKey})`);
    return { imageId: image.id, plotType: image.plotType, duplicate };
  }

  private async announce(image: StoredImage): Promise<void> {
    await this.events.publish(Subjects.imageNew, {
      // The image id as message id: JetStream drops a re-announcement inside its duplicate window.
      id: image.id,
      ...imageNewPayload(image),
    });
  }

  /** Counts a refusal made before the image reached `ingest` (a bad name, bad metadata). */
  countRejection(source: IngestSource, error: ImageRejectedError): void {
    ingestedImagesTotal.inc({ source, outcome: 'rejected' });
    rejectedImagesTotal.inc({ reason: error.reason });
  }
}
