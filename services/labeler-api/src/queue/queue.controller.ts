import { type ImagePage, plotTypeName, queueQuery, type QueueQuery } from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { Access } from '../auth/access.decorator';
import { QueueService } from './queue.service';

@Controller('plot-types/:plotType/queue')
export class QueueController {
  constructor(private readonly queue: QueueService) {}

  /** The next images to label: `order` = newest | uncertain | disagreement, pages of `limit` (100). */
  @Get()
  @Access('viewer')
  @Header('Cache-Control', 'no-store')
  page(
    @Param('plotType', new ZodValidationPipe(plotTypeName)) plotType: string,
    @Query(new ZodValidationPipe(queueQuery)) query: QueueQuery,
  ): Promise<ImagePage> {
    return this.queue.page(plotType, query);
  }
}
