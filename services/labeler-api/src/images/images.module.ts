import { Module } from '@nestjs/common';
import { LabelsModule } from '../labels/labels.module';
import { ImageFileService } from './image-file.service';
import { ImageController } from './image.controller';
import { ImageRepository } from './image.repository';
import { ImageService } from './image.service';

/** Browsing images: lists, one image's story, its pixels. */
@Module({
  imports: [LabelsModule],
  controllers: [ImageController],
  providers: [ImageRepository, ImageService, ImageFileService],
  exports: [ImageService],
})
export class ImagesModule {}
