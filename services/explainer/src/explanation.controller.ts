import {
  type ExplanationRequestDto,
  explanationRequestDto,
  type ExplanationResponse,
} from '@hydra/contracts';
import { ZodValidationPipe } from '@hydra/runtime';
import { OBJECT_STORE, type ObjectStore } from '@hydra/storage';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ExplanationService } from './explanation.service';

/** How long the link in a reply works. */
const LINK_SECONDS = 3600;

/** `POST /explanations`: the heat map now, for a person waiting on it. */
@Controller('explanations')
export class ExplanationController {
  constructor(
    private readonly explanations: ExplanationService,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
  ) {}

  @Post()
  @HttpCode(200)
  async explain(
    @Body(new ZodValidationPipe(explanationRequestDto)) body: ExplanationRequestDto,
  ): Promise<ExplanationResponse> {
    const explanation = await this.explanations.explain(body.imageId, body.modelId);
    return {
      imageId: explanation.imageId,
      modelId: explanation.modelId,
      heatmapKey: explanation.heatmapKey,
      url: await this.store.presignedGetUrl(explanation.heatmapKey, LINK_SECONDS),
      computeMs: explanation.computeMs,
    };
  }
}
