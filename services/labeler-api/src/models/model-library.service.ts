import { Subjects } from '@hydra/contracts';
import { Model, ModelThreshold, PlotType } from '@hydra/db';
import { EventPublisher } from '@hydra/messaging';
import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, Not } from 'typeorm';
import { PlotAccessService } from '../auth/plot-access.service';
import type { Principal } from '../auth/principal';

/** A model as the library lists it: headline numbers, provenance, whether it is in production. */
export interface ModelListing {
  id: string;
  plotType: string;
  architecture: string;
  status: Model['status'];
  production: boolean;
  rejectionReason: string | null;
  summary: unknown;
  trainingImages: number | null;
  parentModelId: string | null;
  trainingJobId: string | null;
  trainedBy: string;
  createdAt: Date;
  promotedAt: Date | null;
  promotedBy: string | null;
}

/** The model library: list, compare, promote, roll back, retire, thresholds, training report. */
@Injectable()
export class ModelLibraryService {
  private readonly logger = new Logger(ModelLibraryService.name);

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly access: PlotAccessService,
  ) {}

  async list(plotType: string): Promise<ModelListing[]> {
    const active = (await this.dataSource.getRepository(PlotType).findOneBy({ name: plotType }))
      ?.activeModelId;
    const models = await this.dataSource
      .getRepository(Model)
      .find({ where: { plotType }, order: { createdAt: 'DESC' } });
    return models.map((model) => listing(model, active ?? null));
  }

  async get(id: string): Promise<Model & { production: boolean; thresholds: ModelThreshold[] }> {
    const model = await this.find(this.dataSource.manager, id);
    const plotType = await this.dataSource.getRepository(PlotType).findOneByOrFail({ name: model.plotType });
    const thresholds = await this.dataSource.getRepository(ModelThreshold).findBy({ modelId: id });
    return { ...model, production: plotType.activeModelId === id, thresholds };
  }

  /** Two models side by side: headline numbers, per-class metrics, and the differences (b − a). */
  async compare(a: string, b: string) {
    const [first, second] = await Promise.all([this.get(a), this.get(b)]);
    const numbers = (model: Model) => (model.metrics as { summary?: Record<string, unknown> }).summary ?? {};
    const difference = Object.fromEntries(
      Object.entries(numbers(second)).flatMap(([key, value]) => {
        const other = numbers(first)[key];
        return typeof value === 'number' && typeof other === 'number' ? [[key, value - other]] : [];
      }),
    );
    return { a: first, b: second, difference };
  }

  async promote(actor: Principal, id: string): Promise<ModelListing> {
    const model = await this.find(this.dataSource.manager, id);
    await this.access.assert(actor, model.plotType, 'promote');
    return this.promoteAs(id, actor.name);
  }

  /** Puts the model in production and tells the classifiers; the previous one stays in the library. */
  async promoteAs(id: string, by: string): Promise<ModelListing> {
    const { model, previous } = await this.dataSource.transaction(async (manager) => {
      const model = await this.find(manager, id);
      const plotType = await manager
        .getRepository(PlotType)
        .findOneOrFail({ where: { name: model.plotType }, lock: { mode: 'pessimistic_write' } });
      if (model.status !== 'candidate')
        throw new ConflictException(
          `model ${id} is ${model.status}; only a validated candidate can go to production`,
        );
      if (plotType.activeModelId === id) throw new ConflictException(`model ${id} is already in production`);
      await manager.update(PlotType, { name: plotType.name }, { activeModelId: id });
      await manager.update(Model, { id }, { promotedAt: new Date(), promotedBy: by });
      return { model: await this.find(manager, id), previous: plotType.activeModelId };
    });
    await this.events.publish(Subjects.modelPromoted, {
      modelId: id,
      plotType: model.plotType,
      previousModelId: previous,
      by,
    });
    this.logger.log(`${by} promoted model ${id} for ${model.plotType} (was ${previous ?? 'none'})`);
    return listing(model, id);
  }

  /** Back to `modelId`, or to the most recently promoted model other than the one in production. */
  async rollback(actor: Principal, plotType: string, modelId?: string): Promise<ModelListing> {
    await this.access.assert(actor, plotType, 'promote');
    const current = await this.dataSource.getRepository(PlotType).findOneBy({ name: plotType });
    if (!current) throw new NotFoundException(`no plot type "${plotType}"`);
    const target =
      modelId ??
      (
        await this.dataSource.getRepository(Model).findOne({
          where: {
            plotType,
            status: 'candidate',
            promotedAt: Not(IsNull()),
            ...(current.activeModelId && { id: Not(current.activeModelId) }),
          },
          order: { promotedAt: 'DESC' },
        })
      )?.id;
    if (!target) throw new ConflictException(`${plotType} has no earlier production model to go back to`);
    const model = await this.find(this.dataSource.manager, target);
    if (model.plotType !== plotType)
      throw new ConflictException(`model ${target} belongs to ${model.plotType}`);
    return this.promoteAs(target, actor.name);
  }

  async retire(actor: Principal, id: string): Promise<ModelListing> {
    const model = await this.find(this.dataSource.manager, id);
    await this.access.assert(actor, model.plotType, 'promote');
    const plotType = await this.dataSource.getRepository(PlotType).findOneByOrFail({ name: model.plotType });
    if (plotType.activeModelId === id)
      throw new ConflictException(`model ${id} is in production; promote or roll back to another first`);
    await this.dataSource.getRepository(Model).update({ id }, { status: 'retired' });
    this.logger.log(`${actor.name} retired model ${id}`);
    return listing({ ...model, status: 'retired' }, plotType.activeModelId);
  }

  /** A person's threshold, recorded with who and why; classifiers use it from the next image. */
  async setThreshold(actor: Principal, id: string, label: string, threshold: number, reason: string) {
    const model = await this.find(this.dataSource.manager, id);
    await this.access.assert(actor, model.plotType, 'promote');
    if (!model.labels.includes(label)) throw new NotFoundException(`model ${id} has no class "${label}"`);
    await this.dataSource
      .getRepository(ModelThreshold)
      // The column is a float4: rounded to one here, a value too small for it (5e-324) is 0, not an underflow error.
      .upsert(
        {
          modelId: id,
          label,
          threshold: Math.fround(threshold),
          setBy: actor.name,
          reason,
          setAt: new Date(),
        },
        ['modelId', 'label'],
      );
    return this.dataSource.getRepository(ModelThreshold).findBy({ modelId: id });
  }

  /** The training report's cards: where model and experts disagreed, with each image's label now. */
  async disagreements(id: string) {
    const model = await this.find(this.dataSource.manager, id);
    const cards = ((model.metrics as { disagreements?: { imageId: string }[] }).disagreements ?? []) as {
      imageId: string;
      label: string;
    }[];
    if (cards.length === 0) return [];
    const current: { image_id: string; label: string }[] = await this.dataSource.query(
      `SELECT il.image_id, l.name AS label FROM image_label il JOIN label l ON l.id = il.label_id
        WHERE il.image_id = ANY($1)`,
      [cards.map((card) => card.imageId)],
    );
    const now = new Map(current.map((row) => [row.image_id, row.label]));
    return cards.map((card) => ({ ...card, currentLabel: now.get(card.imageId) ?? null }));
  }

  private async find(manager: EntityManager, id: string): Promise<Model> {
    const model = await manager.getRepository(Model).findOneBy({ id });
    if (!model) throw new NotFoundException(`no model ${id}`);
    return model;
  }
}

function listing(model: Model, activeModelId: string | null): ModelListing {
  const metrics = model.metrics as { summary?: unknown; dataset?: { total?: number } };
  return {
    id: model.id,
    plotType: model.plotType,
    architecture: model.architecture,
    status: model.status,
    production: model.id === activeModelId,
    rejectionReason: model.rejectionReason,
    summary: metrics.summary ?? null,
    trainingImages: metrics.dataset?.total ?? null,
    parentModelId: model.parentModelId,
    trainingJobId: model.trainingJobId,
    trainedBy: model.trainedBy,
    createdAt: model.createdAt,
    promotedAt: model.promotedAt,
    promotedBy: model.promotedBy,
  };
}
