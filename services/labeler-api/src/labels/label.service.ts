import { type LabelBatchRequestDto, Subjects } from '@hydra/contracts';
import { EventPublisher } from '@hydra/messaging';
import {
  BadRequestException,
  ConflictException,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type EntityManager, QueryFailedError } from 'typeorm';
import { PlotAccessService } from '../auth/plot-access.service';
import type { Principal } from '../auth/principal';
import { LabelRepository } from './label.repository';

/** Hydra's starting palette; `Ignore` never trains a model. */
const DEFAULT_LABELS = [
  { name: 'Good', colour: '#2e7d32', excludedFromTraining: false, description: 'the detector looks fine' },
  { name: 'Bad', colour: '#c62828', excludedFromTraining: false, description: 'something is wrong' },
  { name: 'NoData', colour: '#757575', excludedFromTraining: false, description: 'too little data to judge' },
  { name: 'Ignore', colour: '#9e9e9e', excludedFromTraining: true, description: 'not fit to learn from' },
];

export interface LabelBatchResult {
  batchId: string;
  labeled: number;
  /** True when this batch id was recorded before (a retried submission): nothing changed. */
  repeated: boolean;
}

/** The audited label path: every change is a batch saying who set what, when, and what it was before. */
@Injectable()
export class LabelService implements OnApplicationBootstrap {
  constructor(
    private readonly repository: LabelRepository,
    private readonly events: EventPublisher,
    private readonly access: PlotAccessService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.repository.seedLabels(DEFAULT_LABELS);
  }

  async label(actor: Principal, plotType: string, batch: LabelBatchRequestDto): Promise<LabelBatchResult> {
    await this.access.assert(actor, plotType, 'label');
    const seen = new Set<string>();
    const twice = batch.items.find(({ imageId }) => seen.size === seen.add(imageId).size);
    if (twice) throw new BadRequestException(`image ${twice.imageId} appears twice in the batch`);
    let result: LabelBatchResult;
    try {
      result = await this.repository.transaction((manager) => this.record(manager, actor, plotType, batch));
    } catch (error) {
      // A concurrent submission of the same batch id won the race: answer as for a retry.
      if (!(error instanceof QueryFailedError && error.driverError?.code === '23505')) throw error;
      result = await this.repeated(this.repository.manager, actor, plotType, batch);
    }
    // A retry announces the batch again under the same event id (the broker drops it when the
    // first announcement got through), so a batch stored by a request that failed or died before
    // announcing it is announced by the client's retry.
    await this.events.publish(Subjects.labelAdded, {
      id: batch.batchId,
      batchId: batch.batchId,
      user: actor.name,
      items: batch.items,
    });
    return result;
  }

  private async record(
    manager: EntityManager,
    actor: Principal,
    plotType: string,
    batch: LabelBatchRequestDto,
  ): Promise<LabelBatchResult> {
    if (await this.repository.findBatch(manager, batch.batchId))
      return this.repeated(manager, actor, plotType, batch);
    const ids = batch.items.map((item) => item.imageId);
    const names = [...new Set(batch.items.map((item) => item.label))];
    const labels = await this.repository.labelsNamed(manager, names);
    const missing = names.filter((name) => !labels.some((label) => label.name === name));
    if (missing.length) throw new BadRequestException(`unknown label(s): ${missing.join(', ')}`);
    const palette = await this.repository.palette(manager, plotType);
    const outside = palette.length
      ? labels.filter((label) => !palette.some((entry) => entry.labelId === label.id))
      : [];
    if (outside.length)
      throw new BadRequestException(
        `${outside.map((label) => label.name).join(', ')} not in ${plotType}'s palette`,
      );
    const images = await this.repository.imagesWithLabels(manager, ids, plotType);
    const strangers = ids.filter((id) => !images.some((image) => image.id === id));
    if (strangers.length)
      throw new BadRequestException(`not images of ${plotType}: ${strangers.slice(0, 5).join(', ')}`);
    await this.repository.insertBatch(manager, {
      id: batch.batchId,
      userId: actor.userId,
      plotType,
      items: batch.items.map((item) => ({
        ...item,
        previousLabel: images.find((image) => image.id === item.imageId)?.previous ?? null,
      })),
    });
    const labelId = new Map(labels.map((label) => [label.name, label.id]));
    await this.repository.setLabels(
      manager,
      batch.batchId,
      batch.items.map((item) => ({ imageId: item.imageId, labelId: labelId.get(item.label) as number })),
    );
    return { batchId: batch.batchId, labeled: batch.items.length, repeated: false };
  }

  /** A batch id seen before: the same submission is harmless, different content under it is a 409. */
  private async repeated(
    manager: EntityManager,
    actor: Principal,
    plotType: string,
    batch: LabelBatchRequestDto,
  ): Promise<LabelBatchResult> {
    const earlier = await this.repository.findBatch(manager, batch.batchId);
    const same =
      earlier !== null &&
      earlier.userId === actor.userId &&
      earlier.plotType === plotType &&
      earlier.items.length === batch.items.length &&
      earlier.items.every(
        (item, index) =>
          item.imageId === batch.items[index]?.imageId && item.label === batch.items[index]?.label,
      );
    if (!same) throw new ConflictException(`batch ${batch.batchId} was recorded before with other content`);
    return { batchId: batch.batchId, labeled: 0, repeated: true };
  }
}
