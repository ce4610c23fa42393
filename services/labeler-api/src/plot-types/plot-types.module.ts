import { Module } from '@nestjs/common';
import { PlotTypeController } from './plot-type.controller';
import { PlotTypeRepository } from './plot-type.repository';
import { PlotTypeService } from './plot-type.service';

/** Plot types and their settings: palette, alarm policy, training gates and defaults. */
@Module({
  controllers: [PlotTypeController],
  providers: [PlotTypeRepository, PlotTypeService],
  exports: [PlotTypeRepository],
})
export class PlotTypesModule {}
