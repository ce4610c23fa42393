import {
  type ImageNewEvent,
  type KeepReason,
  NO_MODEL_VERDICT,
  statusSubject,
  Subjects,
} from '@hydra/contracts';
import type { Classification } from '@hydra/db';
import { EventPublisher } from '@hydra/messaging';
import { imageToInput } from '@hydra/ml';
import { OBJECT_STORE, type ObjectStore } from '@hydra/storage';
import { Inject, Injectable } from '@nestjs/common';
import { BAD_LABEL, GOOD_LABEL } from '../alarms/alarm-rules';
import { AlarmService } from '../alarms/alarm.service';
import { CLASSIFIER_CONFIG, type ClassifierConfig } from '../classifier.config';
import { type LoadedClassifier, ModelRegistry } from '../models/model-registry';
import { type PlotTypeSettings, PlotTypeSettingsRepository } from '../models/plot-type-settings.repository';
import { BatchQueue } from './batch-queue';
import { classifiedImagesTotal, inferenceSeconds } from './classification.metrics';
import { ClassificationRepository, type NewClassification } from './classification.repository';
import { keepReasonFor, sampleDraw } from './keep-rule';

/**
 * image.new → verdict: batches whatever is waiting, runs each plot type's production model, stores
 * the verdicts, keeps what should be labeled, publishes `image.classified` and `status.<plotType>`,
 * then lets the alarms decide. Idempotent: a redelivered image gets its stored verdict re-sent.
 */
@Injectable()
export class ClassificationService {
  private readonly queue: BatchQueue<ImageNewEvent>;

  constructor(
    @Inject(CLASSIFIER_CONFIG) private readonly config: ClassifierConfig,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    private readonly models: ModelRegistry,
    private readonly settings: PlotTypeSettingsRepository,
    private readonly classifications: ClassificationRepository,
    private readonly alarms: AlarmService,
    private readonly events: EventPublisher,
  ) {
    this.queue = new BatchQueue(config.maxBatch, (batch) => this.classifyBatch(batch));
  }

  /** Resolves once the image's verdict is stored and published; rejects so the message is retried. */
  classify(image: ImageNewEvent): Promise<void> {
    return this.queue.submit(image);
  }

  private async classifyBatch(images: ImageNewEvent[]): Promise<PromiseSettledResult<unknown>[]> {
    const ids = images.map((image) => image.imageId);
    // The bytes are fetched while the database says what to do with them.
    const bytes = new Map(images.map((image) => [image.imageId, this.fetch(image.storageKey)]));
    const [settings, done] = await Promise.all([
      this.settings.load([...new Set(images.map((image) => image.plotType))]),
      this.classifications.findByImages(ids),
    ]);
    const judged = await this.judge(
      images.filter((image) => !done.has(image.imageId)),
      settings,
      bytes,
    );
    const verdicts = [...judged.values()].flatMap((result) => (result instanceof Error ? [] : [result]));
    const reasons = new Map(
      verdicts.map((verdict) => [
        verdict.imageId,
        keepReasonFor(
          verdict,
          settings.get(plotTypeOf(images, verdict.imageId))?.collectPercent ?? 0,
          sampleDraw(verdict.imageId),
        ),
      ]),
    );
    const inserted = await this.classifications.insert(
      verdicts,
      verdicts.map((verdict) => plotTypeOf(images, verdict.imageId)),
      reasons,
    );
    // What someone else stored first (a redelivery, another replica) is what gets published.
    const others = ids.filter((id) => !inserted.has(id));
    const [stored, storedReasons] = others.length
      ? await Promise.all([
          this.classifications.findByImages(others),
          this.classifications.keepReasons(others),
        ])
      : [new Map<string, Classification>(), new Map<string, KeepReason | null>()];
    const results = await Promise.allSettled(
      images.map(async (image) => {
        const failure = judged.get(image.imageId);
        if (failure instanceof Error) throw failure;
        const verdict = inserted.get(image.imageId) ?? stored.get(image.imageId);
        if (!verdict) throw new Error(`no verdict was stored for image ${image.imageId}`);
        const reason = inserted.has(image.imageId)
          ? reasons.get(image.imageId)
          : storedReasons.get(image.imageId);
        await this.announce(image, verdict, reason ?? null);
      }),
    );
    const alarmed = new Set(
      verdicts.filter((verdict) => verdict.modelId).map((verdict) => plotTypeOf(images, verdict.imageId)),
    );
    for (const plotType of alarmed) await this.alarms.evaluate(settings.get(plotType) as PlotTypeSettings);
    return results;
  }

  private fetch(key: string): Promise<Buffer> {
    const bytes = this.store.get(key);
    // Awaited later, or never when the image turns out to be judged already.
    bytes.catch(() => undefined);
    return bytes;
  }

  /** The verdict of each image, or the Error that kept it from one (the message is then retried). */
  private async judge(
    images: ImageNewEvent[],
    settings: Map<string, PlotTypeSettings>,
    bytes: Map<string, Promise<Buffer>>,
  ): Promise<Map<string, NewClassification | Error>> {
    const result = new Map<string, NewClassification | Error>();
    const byModel = new Map<string, ImageNewEvent[]>();
    for (const image of images) {
      const modelId = settings.get(image.plotType)?.activeModelId;
      if (modelId) {
        byModel.set(modelId, [...(byModel.get(modelId) ?? []), image]);
      } else {
        result.set(image.imageId, noModelVerdict(image));
        this.models.withoutModel(image.plotType);
      }
    }
    for (const [modelId, group] of byModel) {
      const plotType = group[0]?.plotType as string;
      let model: LoadedClassifier;
      try {
        model = await this.models.get(plotType, modelId);
      } catch {
        // Retrying would only dead-letter them: they get "no model" (kept for labeling) while the
        // registry keeps trying the model and the plot type is reported unmonitored.
        for (const image of group) result.set(image.imageId, noModelVerdict(image));
        continue;
      }
      try {
        const inputs = await Promise.allSettled(
          group.map(async (image) =>
            imageToInput(
              await (bytes.get(image.imageId) as Promise<Buffer>),
              model.input,
              model.ignoreRegions,
              model.references,
            ),
          ),
        );
        const ready = group.filter((_, index) => inputs[index]?.status === 'fulfilled');
        const stopTimer = inferenceSeconds.startTimer({ engine: model.classifier.engine });
        const outputs = await model.classifier.predict(
          inputs.flatMap((input) => (input.status === 'fulfilled' ? [input.value] : [])),
        );
        stopTimer();
        inputs.forEach((input, index) => {
          const image = group[index] as ImageNewEvent;
          if (input.status === 'rejected')
            result.set(image.imageId, new Error(`image ${image.imageId}: ${String(input.reason)}`));
        });
        ready.forEach((image, index) =>
          result.set(
            image.imageId,
            this.verdict(
              image,
              modelId,
              model.labels,
              outputs[index] as number[],
              settings.get(plotType)?.thresholds ?? {},
            ),
          ),
        );
      } catch (error) {
        for (const image of group) result.set(image.imageId, error as Error);
      }
    }
    return result;
  }

  private verdict(
    image: ImageNewEvent,
    modelId: string,
    labels: string[],
    output: number[],
    configured: Record<string, number>,
  ): NewClassification {
    const best = output.indexOf(Math.max(...output));
    const verdict = labels[best] as string;
    const confidence = output[best] as number;
    const thresholds = Object.fromEntries(
      labels.map((label) => [label, configured[label] ?? this.config.defaultThreshold]),
    );
    return {
      imageId: image.imageId,
      modelId,
      verdict,
      confidence,
      outputs: Object.fromEntries(labels.map((label, index) => [label, output[index] as number])),
      thresholds,
      confirmed: confidence >= (thresholds[verdict] as number),
      latencyMs: Date.now() - Date.parse(image.occurredAt),
    };
  }

  private async announce(image: ImageNewEvent, verdict: Classification, keepReason: KeepReason | null) {
    await this.events.publish(Subjects.imageClassified, {
      // One message per verdict: a re-send inside the duplicate window is dropped by the broker.
      id: verdict.id,
      imageId: image.imageId,
      plotType: image.plotType,
      modelId: verdict.modelId,
      verdict: verdict.verdict,
      confidence: verdict.confidence,
      outputs: verdict.outputs,
      thresholds: verdict.thresholds,
      confirmed: verdict.confirmed,
      collected: keepReason !== null,
      keepReason,
      latencyMs: verdict.latencyMs,
    });
    classifiedImagesTotal.inc({ verdict: verdict.verdict, confirmed: String(verdict.confirmed) });
    if (verdict.modelId) {
      await this.events.publish(statusSubject(image.plotType), {
        plotType: image.plotType,
        value: (verdict.outputs[GOOD_LABEL] ?? 0) - (verdict.outputs[BAD_LABEL] ?? 0),
        imageId: image.imageId,
        verdict: verdict.verdict,
      });
    }
  }
}

function plotTypeOf(images: ImageNewEvent[], imageId: string): string {
  return images.find((image) => image.imageId === imageId)?.plotType as string;
}

/** A plot type without a production model still gets a verdict: "no model", never confirmed. */
function noModelVerdict(image: ImageNewEvent): NewClassification {
  return {
    imageId: image.imageId,
    modelId: null,
    verdict: NO_MODEL_VERDICT,
    confidence: 0,
    outputs: {},
    thresholds: {},
    confirmed: false,
    latencyMs: Date.now() - Date.parse(image.occurredAt),
  };
}
