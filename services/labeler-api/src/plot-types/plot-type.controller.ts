import {
  type PlotTypeCreateDto,
  plotTypeCreateDto,
  plotTypeName,
  type PlotTypeResponse,
  type PlotTypeSettingsDto,
  plotTypeSettingsDto,
} from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { Access, Actor } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { PlotTypeService } from './plot-type.service';

const plotTypeParam = new ZodValidationPipe(plotTypeName);

@Controller('plot-types')
export class PlotTypeController {
  constructor(private readonly plotTypes: PlotTypeService) {}

  /** Every plot type with its settings and palette. */
  @Get()
  @Access('viewer')
  list(): Promise<PlotTypeResponse[]> {
    return this.plotTypes.list();
  }

  @Get(':plotType')
  @Access('viewer')
  get(@Param('plotType', plotTypeParam) plotType: string): Promise<PlotTypeResponse> {
    return this.plotTypes.get(plotType);
  }

  @Post()
  @Access('admin')
  create(
    @Actor() actor: Principal,
    @Body(new ZodValidationPipe(plotTypeCreateDto)) dto: PlotTypeCreateDto,
  ): Promise<PlotTypeResponse> {
    return this.plotTypes.create(actor, dto);
  }

  /**
   * Changes the settings given; a palette or ignore regions replace the whole list. New ignore
   * regions take effect with the next training: a model is served with the regions it learned.
   */
  @Patch(':plotType')
  @Access('expert', 'train')
  update(
    @Actor() actor: Principal,
    @Param('plotType', plotTypeParam) plotType: string,
    @Body(new ZodValidationPipe(plotTypeSettingsDto)) dto: PlotTypeSettingsDto,
  ): Promise<PlotTypeResponse> {
    return this.plotTypes.update(actor, plotType, dto);
  }
}
