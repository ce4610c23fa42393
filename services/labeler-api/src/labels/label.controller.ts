import { type LabelBatchRequestDto, labelBatchRequestDto, plotTypeName } from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, Controller, Param, Post } from '@nestjs/common';
import { Access, Actor } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { type LabelBatchResult, LabelService } from './label.service';

@Controller('plot-types/:plotType/labels')
export class LabelController {
  constructor(private readonly labels: LabelService) {}

  /** One labeling batch; a retry with the same batch id changes nothing. */
  @Post()
  @Access('labeler', 'label')
  label(
    @Actor() actor: Principal,
    @Param('plotType', new ZodValidationPipe(plotTypeName)) plotType: string,
    @Body(new ZodValidationPipe(labelBatchRequestDto)) batch: LabelBatchRequestDto,
  ): Promise<LabelBatchResult> {
    return this.labels.label(actor, plotType, batch);
  }
}
