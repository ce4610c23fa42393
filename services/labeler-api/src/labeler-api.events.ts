import { type ModelTrainedEvent, Subjects } from '@hydra/contracts';
import { PlotType } from '@hydra/db';
import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { ModelLibraryService } from './models/model-library.service';

/** The trainer's results: a candidate that passed its gates goes to production by itself where the plot type allows. */
@Controller()
export class LabelerApiEvents {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly library: ModelLibraryService,
  ) {}

  @EventPattern(Subjects.modelTrained)
  async modelTrained(@Payload() trained: ModelTrainedEvent): Promise<void> {
    if (trained.status !== 'candidate') return;
    const plotType = await this.dataSource.getRepository(PlotType).findOneBy({ name: trained.plotType });
    if (!plotType?.autoPromote || plotType.activeModelId === trained.modelId) return;
    await this.library.promoteAs(trained.modelId, 'auto-promote');
  }
}
