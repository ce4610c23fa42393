import { randomUUID } from 'node:crypto';
import { Subjects } from '@hydra/contracts';
import type { LabelBatch } from '@hydra/db';
import { EventPublisher } from '@hydra/messaging';
import { ConflictException, Injectable } from '@nestjs/common';
import { type EntityManager, QueryFailedError } from 'typeorm';
import { PlotAccessService } from '../auth/plot-access.service';
import type { Principal } from '../auth/principal';
import { LabelRepository } from './label.repository';

/** The reply to an undo. */
export interface LabelUndoResult {
  /** The new batch that records the undo. */
  batchId: string;
  undoneBatchId: string;
  /** Images given back their previous label (or none). */
  restored: number;
  /** Images someone labeled again after the undone batch: they keep that later label. */
  skipped: number;
}

/**
 * Undo, one level deep: a labeler takes back their own most recent batch on a plot type. Each image
 * gets back the label it had before, unless a later batch changed it since (then the later label
 * stands). The undo is itself an audited batch. A 409 when the labeler has no batch there, when
 * that batch was undone already (undoing twice does not walk further back), or when every image of
 * it was labeled again since.
 */
@Injectable()
export class LabelUndoService {
  constructor(
    private readonly repository: LabelRepository,
    private readonly events: EventPublisher,
    private readonly access: PlotAccessService,
  ) {}

  async undo(actor: Principal, plotType: string): Promise<LabelUndoResult> {
    await this.access.assert(actor, plotType, 'label');
    const { result, items } = await this.repository
      .transaction((manager) => this.record(manager, actor, plotType))
      .catch((error: unknown) => {
        // The unique undoes_batch_id: a concurrent undo of the same batch committed first.
        if (error instanceof QueryFailedError && error.driverError?.code === '23505')
          throw new ConflictException(`${actor.name}'s last batch on ${plotType} was undone already`);
        throw error;
      });
    await this.events.publish(Subjects.labelAdded, {
      id: result.batchId,
      batchId: result.batchId,
      user: actor.name,
      items: items.map(({ imageId, label }) => ({ imageId, label })),
    });
    return result;
  }

  private async record(manager: EntityManager, actor: Principal, plotType: string) {
    const last = await this.repository.latestOwnBatch(manager, actor.userId, plotType);
    if (!last) throw new ConflictException(`${actor.name} has no labels on ${plotType} to undo`);
    if (await this.repository.undoOf(manager, last.id))
      throw new ConflictException(
        `${actor.name}'s last batch on ${plotType} (${last.id}) was undone already; only the last batch can be undone`,
      );
    const current = await this.repository.currentBatches(
      manager,
      last.items.map((item) => item.imageId),
    );
    const items: LabelBatch['items'] = last.items
      .filter((item) => current.get(item.imageId) === last.id)
      .map((item) => ({ imageId: item.imageId, label: item.previousLabel, previousLabel: item.label }));
    if (!items.length)
      throw new ConflictException(`every image of batch ${last.id} was labeled again since; nothing to undo`);
    const batchId = randomUUID();
    await this.repository.insertBatch(manager, {
      id: batchId,
      userId: actor.userId,
      plotType,
      items,
      undoesBatchId: last.id,
    });
    const names = [...new Set(items.flatMap((item) => (item.label === null ? [] : [item.label])))];
    const labelId = new Map(
      (await this.repository.labelsNamed(manager, names)).map((label) => [label.name, label.id]),
    );
    await this.repository.setLabels(
      manager,
      batchId,
      items.flatMap((item) =>
        item.label === null ? [] : [{ imageId: item.imageId, labelId: labelId.get(item.label) as number }],
      ),
    );
    await this.repository.clearLabels(
      manager,
      items.filter((item) => item.label === null).map((item) => item.imageId),
    );
    const result: LabelUndoResult = {
      batchId,
      undoneBatchId: last.id,
      restored: items.length,
      skipped: last.items.length - items.length,
    };
    return { result, items };
  }
}
