import type { ImageNewEvent } from '@hydra/contracts';
import type { Image } from './entities/image.entity';

type StoredImageFields = Pick<
  Image,
  | 'id'
  | 'plotType'
  | 'runPeriod'
  | 'runNumber'
  | 'chunk'
  | 'capturedAt'
  | 'sha256'
  | 'storageKey'
  | 'width'
  | 'height'
>;

/** What `image.new` says about a stored image (without the envelope). */
export function imageNewPayload(image: StoredImageFields): Omit<ImageNewEvent, 'id' | 'occurredAt'> {
  return {
    imageId: image.id,
    plotType: image.plotType,
    runPeriod: image.runPeriod,
    runNumber: image.runNumber,
    chunk: image.chunk,
    capturedAt: image.capturedAt.toISOString(),
    sha256: image.sha256,
    storageKey: image.storageKey,
    width: image.width,
    height: image.height,
  };
}
