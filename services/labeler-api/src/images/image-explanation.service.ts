import { type ExplanationResponse, heatmapKey, type ImageExplanationDto } from '@hydra/contracts';
import { Injectable } from '@nestjs/common';
import { InternalServiceClient } from '../internal/internal-service.client';

/**
 * A heat map made now by the explainer, of the verdict's class or any other asked for ("why not
 * Bad?"), linked through labeler-api rather than the object store, which browsers need not reach.
 */
@Injectable()
export class ImageExplanationService {
  constructor(private readonly internal: InternalServiceClient) {}

  async explain(imageId: string, request: ImageExplanationDto): Promise<ExplanationResponse> {
    const reply = await this.internal.call('explainer', {
      method: 'POST',
      path: '/explanations',
      body: { imageId, ...request },
    });
    const heatMap = reply.body as ExplanationResponse;
    // Asked for the verdict's own class, the explainer answers with the verdict's heat map.
    const verdicts = heatMap.heatmapKey === heatmapKey(imageId, heatMap.modelId);
    const query = verdicts ? '' : `?label=${encodeURIComponent(heatMap.label)}`;
    return { ...heatMap, url: `/api/images/${imageId}/heatmaps/${heatMap.modelId}${query}` };
  }
}
