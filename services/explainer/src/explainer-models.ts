import { Model } from '@hydra/db';
import { type LoadedModel, loadModelArtifacts } from '@hydra/ml';
import { OBJECT_STORE, ObjectNotFoundError, type ObjectStore } from '@hydra/storage';
import { Inject, Injectable, Logger, NotFoundException, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EXPLAINER_CONFIG, type ExplainerConfig } from './explainer.config';

/** The tfjs models Grad-CAM needs, loaded on first use and kept while recently used. */
@Injectable()
export class ExplainerModels implements OnModuleDestroy {
  private readonly logger = new Logger(ExplainerModels.name);
  /** In use order: the first entry is the least recently used. */
  private readonly models = new Map<string, Promise<LoadedModel>>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(EXPLAINER_CONFIG) private readonly config: ExplainerConfig,
  ) {}

  get(modelId: string): Promise<LoadedModel> {
    let model = this.models.get(modelId);
    this.models.delete(modelId);
    if (!model) {
      model = this.load(modelId);
      model.catch(() => this.models.delete(modelId));
    }
    this.models.set(modelId, model);
    while (this.models.size > this.config.cachedModels) {
      const [oldest, evicted] = this.models.entries().next().value as [string, Promise<LoadedModel>];
      this.models.delete(oldest);
      void evicted.then((loaded) => loaded.model.dispose()).catch(() => undefined);
    }
    return model;
  }

  async onModuleDestroy(): Promise<void> {
    const models = await Promise.allSettled(this.models.values());
    this.models.clear();
    for (const model of models) if (model.status === 'fulfilled') model.value.model.dispose();
  }

  private async load(modelId: string): Promise<LoadedModel> {
    const started = Date.now();
    const row = await this.dataSource.getRepository(Model).findOneByOrFail({ id: modelId });
    const loaded = await loadModelArtifacts(this.store, row.artifactPrefix).catch((error: unknown) => {
      // A person asked about a model whose files are gone: say so rather than fail as a fault of ours.
      if (error instanceof ObjectNotFoundError)
        throw new NotFoundException(
          `model ${modelId} has no artifacts in the store (${error.key} is missing)`,
        );
      throw error;
    });
    this.logger.log(`loaded model ${modelId} (${row.plotType}) for Grad-CAM in ${Date.now() - started} ms`);
    return loaded;
  }
}
