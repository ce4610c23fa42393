import { type LabelBatchRequestDto, labelBatchRequestDto, plotTypeName } from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { Access, Actor } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { LabelUndoService, type LabelUndoResult } from './label-undo.service';
import { type LabelBatchResult, LabelService } from './label.service';

const plotTypeParam = new ZodValidationPipe(plotTypeName);

@Controller('plot-types/:plotType/labels')
export class LabelController {
  constructor(
    private readonly labels: LabelService,
    private readonly undos: LabelUndoService,
  ) {}

  /** One labeling batch; a retry with the same batch id changes nothing. */
  @Post()
  @Access('labeler', 'label')
  label(
    @Actor() actor: Principal,
    @Param('plotType', plotTypeParam) plotType: string,
    @Body(new ZodValidationPipe(labelBatchRequestDto)) batch: LabelBatchRequestDto,
  ): Promise<LabelBatchResult> {
    return this.labels.label(actor, plotType, batch);
  }

  /** Takes back the caller's own last batch on the plot type (one level). */
  @Post('undo')
  @Access('labeler', 'label')
  @HttpCode(200)
  undo(
    @Actor() actor: Principal,
    @Param('plotType', plotTypeParam) plotType: string,
  ): Promise<LabelUndoResult> {
    return this.undos.undo(actor, plotType);
  }
}
