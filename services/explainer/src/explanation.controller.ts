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

/** `POST /explanations`: the heat map now, for a person waiting on it; of any class on request. */
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
    const heatMap = await this.explanations.explain(body.imageId, body.modelId, body.label);
    return { ...heatMap, url: await this.store.presignedGetUrl(heatMap.heatmapKey, LINK_SECONDS) };
  }
}
