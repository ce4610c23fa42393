import { heatmapKey, Subjects } from '@hydra/contracts';
import {
  classActivationMap,
  DEFAULT_HEAT_MAP_METHOD,
  defaultReferenceFor,
  describeHeatMapMethod,
  heatmapOverlay,
  heatMapOptions,
  imageToInput,
  withoutIgnoredHeat,
} from '@hydra/ml';
import { EventPublisher } from '@hydra/messaging';
import { OBJECT_STORE, type ObjectStore } from '@hydra/storage';
import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { ExplainerModels } from './explainer-models';
import { ExplanationRepository } from './explanation.repository';

const gradCamSeconds = new Histogram({
  name: 'hydra_gradcam_seconds',
  help: 'Time to compute and store one heat map',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
});

/** One heat map: of which image, by which model, for which class, and where it is stored. */
export interface HeatMap {
  imageId: string;
  modelId: string;
  label: string;
  heatmapKey: string;
  computeMs: number;
}

/**
 * Heat maps (DEFAULT_HEAT_MAP_METHOD, recorded in each PNG's EXIF) with the model version that gave
 * the verdict. The verdict's class is stored at `heatmaps/<imageId>/<modelId>.png`, kept in the
 * explanation table and announced on `image.explained`; another class asked for ("why not Bad?")
 * goes to `heatmaps/<imageId>/<modelId>/<label>.png` and only to whoever asked, so it never stands
 * in for the verdict's heat map.
 */
@Injectable()
export class ExplanationService {
  constructor(
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly explanations: ExplanationRepository,
    private readonly models: ExplainerModels,
    private readonly events: EventPublisher,
  ) {}

  /**
   * The heat map of the image by `modelId` (by default the model of its newest verdict) for `label`
   * (by default the verdict's class), made once.
   */
  async explain(imageId: string, modelId?: string, label?: string): Promise<HeatMap> {
    const verdict = await this.explanations.verdict(imageId, modelId);
    if (!verdict?.modelId) {
      throw new NotFoundException(
        modelId ? `model ${modelId} has not judged image ${imageId}` : `no model has judged image ${imageId}`,
      );
    }
    if (label !== undefined && label !== verdict.verdict)
      return this.explainClass(imageId, verdict.modelId, label);
    const existing = await this.explanations.find(imageId, verdict.modelId);
    const explanation =
      existing ??
      (await this.explanations.insert({
        imageId,
        modelId: verdict.modelId,
        ...(await this.compute(
          imageId,
          verdict.modelId,
          verdict.verdict,
          heatmapKey(imageId, verdict.modelId),
        )),
      }));
    await this.events.publish(Subjects.imageExplained, {
      // One announcement per explanation: repeats inside the broker's duplicate window are dropped.
      id: explanation.id,
      imageId,
      modelId: explanation.modelId,
      heatmapKey: explanation.heatmapKey,
    });
    return {
      imageId,
      modelId: explanation.modelId,
      label: verdict.verdict,
      heatmapKey: explanation.heatmapKey,
      computeMs: explanation.computeMs,
    };
  }

  /** A class other than the verdict's, checked against the model's labels; the store is its cache. */
  private async explainClass(imageId: string, modelId: string, label: string): Promise<HeatMap> {
    const { manifest } = await this.models.get(modelId);
    if (!manifest.labels.includes(label))
      throw new BadRequestException(
        `model ${modelId} has no class "${label}" (its classes: ${manifest.labels.join(', ')})`,
      );
    const key = heatmapKey(imageId, modelId, label);
    if (await this.store.stat(key)) return { imageId, modelId, label, heatmapKey: key, computeMs: 0 };
    return { imageId, modelId, label, ...(await this.compute(imageId, modelId, label, key)) };
  }

  private async compute(
    imageId: string,
    modelId: string,
    label: string,
    key: string,
  ): Promise<{ heatmapKey: string; computeMs: number }> {
    const stopTimer = gradCamSeconds.startTimer();
    const started = performance.now();
    const image = await this.explanations.image(imageId);
    if (!image) throw new NotFoundException(`no image ${imageId}`);
    const loaded = await this.models.get(modelId);
    const { model, manifest } = loaded;
    const bytes = await this.store.get(image.storageKey);
    // The model's own regions, not the plot type's current ones: it is explained as it was trained.
    const input = await imageToInput(
      bytes,
      manifest.input,
      manifest.ignoreRegions,
      loaded.heatExemplars?.pixels,
    );
    const classIndex = manifest.labels.indexOf(label);
    const options = heatMapOptions(model, manifest.gradCamLayer, DEFAULT_HEAT_MAP_METHOD, {
      ...(classIndex >= 0 && { classIndex }),
      labels: manifest.labels,
    });
    const reference = await defaultReferenceFor(model, options.layers, input, loaded);
    const heat = withoutIgnoredHeat(
      await classActivationMap(model, input, manifest.input, { ...options, reference }),
      manifest.ignoreRegions,
      image.width,
      image.height,
      manifest.input,
    );
    const explained = manifest.labels[heat.classIndex] ?? label;
    const contrasted =
      options.contrastIndex === heat.classIndex ? undefined : manifest.labels[options.contrastIndex ?? -1];
    const description = `Hydra heat map of class ${explained} by model ${modelId}: ${describeHeatMapMethod(DEFAULT_HEAT_MAP_METHOD, reference, contrasted)} (${options.layers.join(', ')})`;
    await this.store.put(key, await heatmapOverlay(bytes, heat, manifest.input, description), {
      contentType: 'image/png',
    });
    stopTimer();
    return { heatmapKey: key, computeMs: performance.now() - started };
  }
}
