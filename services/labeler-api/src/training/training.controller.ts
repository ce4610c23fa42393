import {
  plotTypeName,
  type TrainingEstimate,
  type TrainingRequestDto,
  trainingRequestDto,
  uuid,
} from '@hydra/contracts';
import type { TrainingJob } from '@hydra/db';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Access, Actor } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { TrainingService } from './training.service';

const idParam = new ZodValidationPipe(uuid);

@Controller()
export class TrainingController {
  constructor(private readonly training: TrainingService) {}

  /** "Train": 202 with the queued job and its estimated cost; 409 while the plot type already has one. */
  @Post('plot-types/:plotType/training')
  @Access('expert', 'train')
  @HttpCode(202)
  request(
    @Actor() actor: Principal,
    @Param('plotType', new ZodValidationPipe(plotTypeName)) plotType: string,
    @Body(new ZodValidationPipe(trainingRequestDto)) body: TrainingRequestDto,
  ): Promise<TrainingJob & { estimate: TrainingEstimate }> {
    return this.training.request(actor, plotType, body.options);
  }

  /** What training with these options would cost, shown before "Train" is pressed. */
  @Post('plot-types/:plotType/training/estimate')
  @Access('viewer')
  @HttpCode(200)
  estimate(
    @Param('plotType', new ZodValidationPipe(plotTypeName)) plotType: string,
    @Body(new ZodValidationPipe(trainingRequestDto)) body: TrainingRequestDto,
  ): Promise<TrainingEstimate> {
    return this.training.estimate(plotType, body.options);
  }

  @Get('training-jobs/:id')
  @Access('viewer')
  job(@Param('id', idParam) id: string): Promise<TrainingJob> {
    return this.training.job(id);
  }

  @Post('training-jobs/:id/cancel')
  @Access('expert', 'train')
  @HttpCode(200)
  cancel(@Actor() actor: Principal, @Param('id', idParam) id: string): Promise<TrainingJob> {
    return this.training.cancel(actor, id);
  }
}
