import type {
  ImageDetail,
  ImageListItem,
  ImageListQuery,
  ImagePage,
  LabelHistoryEntry,
} from '@hydra/contracts';
import { Injectable, NotFoundException } from '@nestjs/common';
import { LabelHistoryService } from '../labels/label-history.service';
import { decodeCursor, encodeCursor, type ImageOrder } from './image-order';
import { type ImageFilter, ImageRepository, type ImageRow } from './image.repository';

/** Where the web app fetches an image's pixels (all behind the same authentication). */
export function imageUrls(id: string): Pick<ImageListItem, 'thumbnailUrl' | 'fileUrl'> {
  return { thumbnailUrl: `/api/images/${id}/thumbnail`, fileUrl: `/api/images/${id}/file` };
}

/** Image lists and the full story of one image: verdicts, label history, heat maps. */
@Injectable()
export class ImageService {
  constructor(
    private readonly images: ImageRepository,
    private readonly history: LabelHistoryService,
  ) {}

  list({ limit, cursor, ...filter }: ImageListQuery): Promise<ImagePage> {
    return this.page(filter, 'newest', cursor, limit);
  }

  /** One keyset page: asks for one image more than the page holds to know whether another page follows. */
  async page(
    filter: ImageFilter,
    order: ImageOrder,
    cursor: string | undefined,
    limit: number,
  ): Promise<ImagePage> {
    const rows = await this.images.page(filter, order, decodeCursor(order, cursor), limit + 1);
    const shown = rows.slice(0, limit);
    const last = shown.at(-1);
    return {
      items: shown.map(toItem),
      nextCursor: rows.length > limit && last ? encodeCursor(order, last.key) : null,
    };
  }

  async detail(id: string): Promise<ImageDetail> {
    const [item, image] = await Promise.all([this.images.item(id), this.images.findById(id)]);
    if (!item || !image) throw new NotFoundException(`no image ${id}`);
    const [verdicts, labelHistory, heatmaps] = await Promise.all([
      this.images.verdicts(id),
      this.history.ofImage(image.id, image.plotType),
      this.images.heatmaps(id),
    ]);
    return {
      ...toItem({ item, key: [] }),
      pad: image.pad,
      width: image.width,
      height: image.height,
      sizeBytes: image.sizeBytes,
      sha256: image.sha256,
      ingestedAt: image.ingestedAt.toISOString(),
      verdicts,
      labelHistory,
      heatmaps: heatmaps.map((heatmap) => ({
        modelId: heatmap.modelId,
        createdAt: heatmap.createdAt.toISOString(),
        url: `/api/images/${id}/heatmaps/${heatmap.modelId}`,
      })),
    };
  }

  async labels(id: string): Promise<LabelHistoryEntry[]> {
    const image = await this.images.findById(id);
    if (!image) throw new NotFoundException(`no image ${id}`);
    return this.history.ofImage(image.id, image.plotType);
  }
}

function toItem({ item }: ImageRow): ImageListItem {
  return { ...item, ...imageUrls(item.id) };
}
