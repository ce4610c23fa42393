import {
  labelName,
  plotTypeName,
  type RollbackDto,
  rollbackDto,
  type ThresholdUpdateDto,
  thresholdUpdateDto,
  uuid,
} from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Access, Actor } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { ModelLibraryService } from './model-library.service';

const idParam = new ZodValidationPipe(uuid);
const plotTypeParam = new ZodValidationPipe(plotTypeName);

@Controller()
export class ModelLibraryController {
  constructor(private readonly library: ModelLibraryService) {}

  @Get('plot-types/:plotType/models')
  @Access('viewer')
  list(@Param('plotType', plotTypeParam) plotType: string) {
    return this.library.list(plotType);
  }

  @Get('models/compare')
  @Access('viewer')
  compare(@Query('a', idParam) a: string, @Query('b', idParam) b: string) {
    return this.library.compare(a, b);
  }

  @Get('models/:id')
  @Access('viewer')
  get(@Param('id', idParam) id: string) {
    return this.library.get(id);
  }

  @Get('models/:id/disagreements')
  @Access('viewer')
  disagreements(@Param('id', idParam) id: string) {
    return this.library.disagreements(id);
  }

  @Post('models/:id/promote')
  @Access('expert', 'promote')
  @HttpCode(200)
  promote(@Actor() actor: Principal, @Param('id', idParam) id: string) {
    return this.library.promote(actor, id);
  }

  @Post('models/:id/retire')
  @Access('expert', 'promote')
  @HttpCode(200)
  retire(@Actor() actor: Principal, @Param('id', idParam) id: string) {
    return this.library.retire(actor, id);
  }

  @Post('plot-types/:plotType/rollback')
  @Access('expert', 'promote')
  @HttpCode(200)
  rollback(
    @Actor() actor: Principal,
    @Param('plotType', plotTypeParam) plotType: string,
    @Body(new ZodValidationPipe(rollbackDto)) body: RollbackDto,
  ) {
    return this.library.rollback(actor, plotType, body.modelId);
  }

  @Put('models/:id/thresholds/:label')
  @Access('expert', 'promote')
  threshold(
    @Actor() actor: Principal,
    @Param('id', idParam) id: string,
    @Param('label', new ZodValidationPipe(labelName)) label: string,
    @Body(new ZodValidationPipe(thresholdUpdateDto)) body: ThresholdUpdateDto,
  ) {
    return this.library.setThreshold(actor, id, label, body.threshold, body.reason);
  }
}
