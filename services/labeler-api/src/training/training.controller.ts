import {
  type ActorDto,
  actorDto,
  plotTypeName,
  type TrainingRequestDto,
  trainingRequestDto,
  uuid,
} from '@hydra/contracts';
import type { TrainingJob } from '@hydra/db';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { TrainingService } from './training.service';

const idParam = new ZodValidationPipe(uuid);

@Controller()
export class TrainingController {
  constructor(private readonly training: TrainingService) {}

  /** "Train": 202 with the queued job; 409 while the plot type already has one. */
  @Post('plot-types/:plotType/training')
  @HttpCode(202)
  request(
    @Param('plotType', new ZodValidationPipe(plotTypeName)) plotType: string,
    @Body(new ZodValidationPipe(trainingRequestDto)) body: TrainingRequestDto,
  ): Promise<TrainingJob> {
    return this.training.request(plotType, body.options, body.by);
  }

  @Get('training-jobs/:id')
  job(@Param('id', idParam) id: string): Promise<TrainingJob> {
    return this.training.job(id);
  }

  @Post('training-jobs/:id/cancel')
  @HttpCode(200)
  cancel(
    @Param('id', idParam) id: string,
    @Body(new ZodValidationPipe(actorDto)) body: ActorDto,
  ): Promise<TrainingJob> {
    return this.training.cancel(id, body.by);
  }
}
