import {
  type ExplanationResponse,
  type ImageExplanationDto,
  imageExplanationDto,
  uuid,
} from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { Access } from '../auth/access.decorator';
import { ImageExplanationService } from './image-explanation.service';

/** `POST /api/images/:id/explanations`: a heat map now, for the verdict's class or `label`. */
@Controller('images')
export class ImageExplanationController {
  constructor(private readonly explanations: ImageExplanationService) {}

  @Post(':id/explanations')
  @Access('viewer')
  @HttpCode(200)
  explain(
    @Param('id', new ZodValidationPipe(uuid)) id: string,
    @Body(new ZodValidationPipe(imageExplanationDto)) body: ImageExplanationDto,
  ): Promise<ExplanationResponse> {
    return this.explanations.explain(id, body);
  }
}
