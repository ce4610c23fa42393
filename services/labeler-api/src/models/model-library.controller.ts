import {
  type ActorDto,
  actorDto,
  labelName,
  plotTypeName,
  type RollbackDto,
  rollbackDto,
  thresholdUpdateDto,
  uuid,
} from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import type { z } from 'zod';
import { ModelLibraryService } from './model-library.service';

const idParam = new ZodValidationPipe(uuid);
const plotTypeParam = new ZodValidationPipe(plotTypeName);

@Controller()
export class ModelLibraryController {
  constructor(private readonly library: ModelLibraryService) {}

  @Get('plot-types/:plotType/models')
  list(@Param('plotType', plotTypeParam) plotType: string) {
    return this.library.list(plotType);
  }

  @Get('models/compare')
  compare(@Query('a', idParam) a: string, @Query('b', idParam) b: string) {
    return this.library.compare(a, b);
  }

  @Get('models/:id')
  get(@Param('id', idParam) id: string) {
    return this.library.get(id);
  }

  @Get('models/:id/disagreements')
  disagreements(@Param('id', idParam) id: string) {
    return this.library.disagreements(id);
  }

  @Post('models/:id/promote')
  @HttpCode(200)
  promote(@Param('id', idParam) id: string, @Body(new ZodValidationPipe(actorDto)) body: ActorDto) {
    return this.library.promote(id, body.by);
  }

  @Post('models/:id/retire')
  @HttpCode(200)
  retire(@Param('id', idParam) id: string, @Body(new ZodValidationPipe(actorDto)) body: ActorDto) {
    return this.library.retire(id, body.by);
  }

  @Post('plot-types/:plotType/rollback')
  @HttpCode(200)
  rollback(
    @Param('plotType', plotTypeParam) plotType: string,
    @Body(new ZodValidationPipe(rollbackDto)) body: RollbackDto,
  ) {
    return this.library.rollback(plotType, body.by, body.modelId);
  }

  @Put('models/:id/thresholds/:label')
  threshold(
    @Param('id', idParam) id: string,
    @Param('label', new ZodValidationPipe(labelName)) label: string,
    @Body(new ZodValidationPipe(thresholdUpdateDto)) body: z.infer<typeof thresholdUpdateDto>,
  ) {
    return this.library.setThreshold(id, label, body.threshold, body.by, body.reason);
  }
}
