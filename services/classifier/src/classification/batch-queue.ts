/**
 * Gathers the items submitted while the event loop is busy and hands them over together, at most
 * `maxBatch` at a time, so inference runs on whatever is waiting instead of one image per call.
 * What fails in a batch of several is tried once more on its own, so one bad item (an image row
 * deleted meanwhile, a query it breaks) never fails the items it happened to be batched with.
 */
export class BatchQueue<T> {
  private pending: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly maxBatch: number,
    /** Settles each item: one result per item, in order. */
    private readonly process: (items: T[]) => Promise<PromiseSettledResult<unknown>[]>,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      const results = await this.settle(batch.map((entry) => entry.item));
      if (batch.length > 1) {
        for (const [index, entry] of batch.entries()) {
          if (results[index]?.status === 'fulfilled') continue;
          const [alone] = await this.settle([entry.item]);
          if (alone) results[index] = alone;
        }
      }
      batch.forEach((entry, index) => {
        const result = results[index];
        if (result?.status === 'fulfilled') entry.resolve();
        else entry.reject(result?.reason ?? new Error('the batch returned no result for this item'));
      });
    }
  }

  /** One result per item; a batch that throws fails each of its items with that error. */
  private async settle(items: T[]): Promise<PromiseSettledResult<unknown>[]> {
    try {
      return await this.process(items);
    } catch (error) {
      return items.map(() => ({ status: 'rejected', reason: error }));
    }
  }
}
