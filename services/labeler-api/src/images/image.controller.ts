import {
  type ImageDetail,
  imageListQuery,
  type ImageListQuery,
  type ImagePage,
  type LabelHistoryEntry,
  labelName,
  uuid,
} from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Controller, Get, Header, Param, Query, StreamableFile } from '@nestjs/common';
import { Access } from '../auth/access.decorator';
import { ImageFileService } from './image-file.service';
import { ImageService } from './image.service';

const idParam = new ZodValidationPipe(uuid);
/** An image's bytes never change (its id names one sha256), so browsers may keep them. */
const IMMUTABLE = 'private, max-age=31536000, immutable';

@Controller('images')
@Access('viewer')
export class ImageController {
  constructor(
    private readonly images: ImageService,
    private readonly files: ImageFileService,
  ) {}

  /** Filtered, newest first, one keyset page at a time. */
  @Get()
  @Header('Cache-Control', 'no-store')
  list(@Query(new ZodValidationPipe(imageListQuery)) query: ImageListQuery): Promise<ImagePage> {
    return this.images.list(query);
  }

  @Get(':id')
  @Header('Cache-Control', 'no-store')
  detail(@Param('id', idParam) id: string): Promise<ImageDetail> {
    return this.images.detail(id);
  }

  /** Who labeled the image what, and when, newest first. */
  @Get(':id/labels')
  @Header('Cache-Control', 'no-store')
  labels(@Param('id', idParam) id: string): Promise<LabelHistoryEntry[]> {
    return this.images.labels(id);
  }

  @Get(':id/file')
  @Header('Cache-Control', IMMUTABLE)
  async file(@Param('id', idParam) id: string): Promise<StreamableFile> {
    return new StreamableFile(await this.files.file(id), { type: 'image/png' });
  }

  @Get(':id/thumbnail')
  @Header('Cache-Control', IMMUTABLE)
  async thumbnail(@Param('id', idParam) id: string): Promise<StreamableFile> {
    return new StreamableFile(await this.files.thumbnail(id), { type: 'image/webp' });
  }

  /** A heat map may be made again on request, so it is kept only for a while; `?label=` one of that class. */
  @Get(':id/heatmaps/:modelId')
  @Header('Cache-Control', 'private, max-age=300')
  async heatmap(
    @Param('id', idParam) id: string,
    @Param('modelId', idParam) modelId: string,
    @Query('label', new ZodValidationPipe(labelName.optional())) label?: string,
  ): Promise<StreamableFile> {
    return new StreamableFile(await this.files.heatmap(id, modelId, label), { type: 'image/png' });
  }
}
