import { Subjects } from '@hydra/contracts';
import type { Explanation } from '@hydra/db';
import { EventPublisher } from '@hydra/messaging';
import { gradCam, heatmapOverlay, imageToInput, withoutIgnoredHeat } from '@hydra/ml';
import { OBJECT_STORE, type ObjectStore } from '@hydra/storage';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { ExplainerModels } from './explainer-models';
import { ExplanationRepository } from './explanation.repository';

const gradCamSeconds = new Histogram({
  name: 'hydra_gradcam_seconds',
  help: 'Time to compute and store one heat map',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
});

/**
 * Grad-CAM heat maps with the model version that gave the verdict, for the class it chose; stored
 * as a PNG overlay at `heatmaps/<imageId>/<modelId>.png` and announced on `image.explained`.
 */
@Injectable()
export class ExplanationService {
  constructor(
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly explanations: ExplanationRepository,
    private readonly models: ExplainerModels,
    private readonly events: EventPublisher,
  ) {}

  /** The heat map of the image by `modelId` (by default the model of its newest verdict), made once. */
  async explain(imageId: string, modelId?: string): Promise<Explanation> {
    const verdict = await this.explanations.verdict(imageId, modelId);
    if (!verdict?.modelId) {
      throw new NotFoundException(
        modelId ? `model ${modelId} has not judged image ${imageId}` : `no model has judged image ${imageId}`,
      );
    }
    const existing = await this.explanations.find(imageId, verdict.modelId);
    const explanation = existing ?? (await this.compute(imageId, verdict.modelId, verdict.verdict));
    await this.events.publish(Subjects.imageExplained, {
      // One announcement per explanation: repeats inside the broker's duplicate window are dropped.
      id: explanation.id,
      imageId,
      modelId: explanation.modelId,
      heatmapKey: explanation.heatmapKey,
    });
    return explanation;
  }

  private async compute(imageId: string, modelId: string, verdict: string): Promise<Explanation> {
    const stopTimer = gradCamSeconds.startTimer();
    const started = performance.now();
    const image = await this.explanations.image(imageId);
    if (!image) throw new NotFoundException(`no image ${imageId}`);
    const { model, manifest } = await this.models.get(modelId);
    const bytes = await this.store.get(image.storageKey);
    // The model's own regions, not the plot type's current ones: it is explained as it was trained.
    const input = await imageToInput(bytes, manifest.input, manifest.ignoreRegions);
    const classIndex = manifest.labels.indexOf(verdict);
    const heat = withoutIgnoredHeat(
      await gradCam(
        model,
        input,
        manifest.input,
        manifest.gradCamLayer,
        classIndex < 0 ? undefined : classIndex,
      ),
      manifest.ignoreRegions,
      image.width,
      image.height,
      manifest.input,
    );
    const heatmapKey = `heatmaps/${imageId}/${modelId}.png`;
    await this.store.put(heatmapKey, await heatmapOverlay(bytes, heat, manifest.input), {
      contentType: 'image/png',
    });
    stopTimer();
    return this.explanations.insert({ imageId, modelId, heatmapKey, computeMs: performance.now() - started });
  }
}
