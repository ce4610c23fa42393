import { Module } from '@nestjs/common';
import { ImagesModule } from '../images/images.module';
import { PlotTypesModule } from '../plot-types/plot-types.module';
import { QueueController } from './queue.controller';
import { QueueService } from './queue.service';

/** The labeling queue: what to label next, in the order a labeler chooses. */
@Module({
  imports: [ImagesModule, PlotTypesModule],
  controllers: [QueueController],
  providers: [QueueService],
})
export class QueueModule {}
