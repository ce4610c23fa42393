import { type ExplainRequestEvent, type ImageClassifiedEvent, Subjects } from '@hydra/contracts';
import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { ExplanationService } from './explanation.service';

const BAD_LABEL = 'Bad';

/** Heat maps for every confirmed Bad verdict and for whoever asks; `image.explained` is the reply. */
@Controller()
export class ExplainerEvents {
  constructor(private readonly explanations: ExplanationService) {}

  // Grad-CAM is CPU-bound: one at a time, few pulled ahead, so other replicas share the load.
  @EventPattern(Subjects.imageClassified, { concurrency: 1, prefetch: 8 })
  async imageClassified(@Payload() verdict: ImageClassifiedEvent): Promise<void> {
    if (verdict.verdict !== BAD_LABEL || !verdict.confirmed || !verdict.modelId) return;
    await this.explanations.explain(verdict.imageId, verdict.modelId);
  }

  @EventPattern(Subjects.explainRequest, { concurrency: 1, prefetch: 8 })
  async explainRequest(@Payload() request: ExplainRequestEvent): Promise<void> {
    await this.explanations.explain(request.imageId, request.modelId);
  }
}
