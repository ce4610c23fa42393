import type { ImagePage, QueueOrder, QueueQuery } from '@hydra/contracts';
import { Injectable, NotFoundException } from '@nestjs/common';
import type { ImageOrder } from '../images/image-order';
import type { ImageFilter } from '../images/image.repository';
import { ImageService } from '../images/image.service';
import { PlotTypeRepository } from '../plot-types/plot-type.repository';

/**
 * What each queue holds and in which order:
 * - `newest`: kept, unlabeled images, newest run first (Hydra's "novel" mode);
 * - `uncertain`: kept, unlabeled images, smallest margin between the latest verdict's two best
 *   outputs first (the model's doubts; images not yet judged come first);
 * - `disagreement`: images to review, newest first: labeled images whose latest verdict contradicts
 *   the label (kept or not), and kept unlabeled images whose latest verdict is unconfirmed.
 */
const QUEUES: Record<QueueOrder, { filter: Omit<ImageFilter, 'plotType'>; order: ImageOrder }> = {
  newest: { filter: { kept: true, unlabeled: true }, order: 'run' },
  uncertain: { filter: { kept: true, unlabeled: true }, order: 'margin' },
  disagreement: { filter: { review: true }, order: 'newest' },
};

/** The labeling queue of a plot type, a page of images at a time. */
@Injectable()
export class QueueService {
  constructor(
    private readonly images: ImageService,
    private readonly plotTypes: PlotTypeRepository,
  ) {}

  async page(plotType: string, { order, cursor, limit }: QueueQuery): Promise<ImagePage> {
    if (!(await this.plotTypes.one(plotType))) throw new NotFoundException(`no plot type "${plotType}"`);
    const queue = QUEUES[order];
    return this.images.page({ ...queue.filter, plotType }, queue.order, cursor, limit);
  }
}
