import { Model } from '@hydra/db';
import {
  type Classifier,
  createClassifier,
  type IgnoreRegion,
  type InputShape,
  loadModelArtifacts,
  modelChannels,
  type ReferencePlots,
} from '@hydra/ml';
import { OBJECT_STORE, type ObjectStore } from '@hydra/storage';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLASSIFIER_CONFIG, type ClassifierConfig } from '../classifier.config';
import { ModelHealth } from './model-health';

/** A production model ready to judge images. */
export interface LoadedClassifier {
  modelId: string;
  plotType: string;
  /** Output order. */
  labels: string[];
  input: InputShape;
  /** Painted white before the model sees an image, as in its training. */
  ignoreRegions: IgnoreRegion[];
  /** The Good plots each image is compared with, where the model's input has a Good reference. */
  references: ReferencePlots | undefined;
  classifier: Classifier;
}

/** How long a replaced model stays loaded, so batches already using it finish. */
const RETIRE_AFTER_MS = 30_000;

/** A model that failed to load is read again after this, doubling with each failure up to the maximum. */
const RELOAD_AFTER_MS = 1_000;
const MAX_RELOAD_AFTER_MS = 60_000;

/** The production model of a plot type cannot be loaded (a damaged or missing file, a bad export). */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
  constructor(
    readonly plotType: string,
    readonly modelId: string,
    readonly reason: string,
  ) {
    super(`the production model ${modelId} of ${plotType} cannot be loaded: ${reason}`);
  }
}

/**
 * Loads each plot type's production model once (ONNX Runtime in the precision its trainer chose or
 * ONNX_PRECISION names, tfjs as fallback), warms it up and swaps it when the plot type's active
 * model changes; no restart needed.
 */
@Injectable()
export class ModelRegistry implements OnModuleDestroy {
  private readonly logger = new Logger(ModelRegistry.name);
  private readonly models = new Map<string, Promise<LoadedClassifier>>();
  private readonly activeByPlotType = new Map<string, string>();
  private readonly retiring = new Set<NodeJS.Timeout>();
  private readonly failures = new Map<string, { error: ModelLoadError; count: number; retryAt: number }>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(CLASSIFIER_CONFIG) private readonly config: ClassifierConfig,
    private readonly health: ModelHealth,
  ) {}

  /**
   * The model `modelId`, which `plotType` now has in production; the one it replaces is retired.
   * Rejects with ModelLoadError when it cannot be loaded, and reports the plot type unmonitored.
   */
  get(plotType: string, modelId: string): Promise<LoadedClassifier> {
    const previous = this.activeByPlotType.get(plotType);
    if (previous !== modelId) {
      this.activeByPlotType.set(plotType, modelId);
      if (previous) this.retire(previous);
    }
    let model = this.models.get(modelId);
    if (!model) {
      const failure = this.failures.get(modelId);
      // A broken model is not read again for every image, only once its back-off has passed.
      if (failure && Date.now() < failure.retryAt) return Promise.reject(failure.error);
      model = this.load(modelId).then(
        (loaded) => {
          this.failures.delete(modelId);
          this.health.canJudge(plotType, modelId);
          return loaded;
        },
        (error: unknown) => {
          this.models.delete(modelId);
          const count = (failure?.count ?? 0) + 1;
          const loadError = new ModelLoadError(plotType, modelId, (error as Error).message ?? String(error));
          const backOff = Math.min(RELOAD_AFTER_MS * 2 ** (count - 1), MAX_RELOAD_AFTER_MS);
          this.failures.set(modelId, { error: loadError, count, retryAt: Date.now() + backOff });
          this.health.cannotJudge(plotType, modelId, loadError.reason);
          throw loadError;
        },
      );
      this.models.set(modelId, model);
    }
    return model;
  }

  /** `plotType` has no production model now: "no model" is its expected verdict, not a loss. */
  withoutModel(plotType: string): void {
    this.health.canJudge(plotType, null);
  }

  async onModuleDestroy(): Promise<void> {
    for (const timer of this.retiring) clearTimeout(timer);
    const models = await Promise.allSettled(this.models.values());
    this.models.clear();
    await Promise.all(
      models.map((result) => (result.status === 'fulfilled' ? result.value.classifier.dispose() : undefined)),
    );
  }

  private async load(modelId: string): Promise<LoadedClassifier> {
    const started = Date.now();
    const row = await this.dataSource.getRepository(Model).findOneByOrFail({ id: modelId });
    const artifacts = await loadModelArtifacts(this.store, row.artifactPrefix, { heatMaps: false });
    const classifier = await createClassifier(artifacts, {
      precision: this.config.onnxPrecision,
      onFallback: (reason) => this.logger.warn(`model ${modelId}: ${reason}`),
    });
    const { input, labels, ignoreRegions } = artifacts.manifest;
    // The first call allocates the session's buffers; do it before a real image waits on it.
    await classifier.predict([new Float32Array(input.height * input.width * modelChannels(input))]);
    this.logger.log(
      `loaded ${row.architecture} model ${modelId} for ${row.plotType} on ${classifier.engine} in ${Date.now() - started} ms`,
    );
    const references = artifacts.heatExemplars?.pixels;
    return { modelId, plotType: row.plotType, labels, input, ignoreRegions, references, classifier };
  }

  private retire(modelId: string): void {
    const timer = setTimeout(() => {
      this.retiring.delete(timer);
      if ([...this.activeByPlotType.values()].includes(modelId)) return;
      const model = this.models.get(modelId);
      this.models.delete(modelId);
      void model?.then((loaded) => loaded.classifier.dispose()).catch(() => undefined);
    }, RETIRE_AFTER_MS);
    this.retiring.add(timer);
  }
}
