/**
 * Gathers the items submitted while the event loop is busy and hands them over together, at most
 * `maxBatch` at a time, so inference runs on whatever is waiting instead of one image per call.
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
      try {
        const results = await this.process(batch.map((entry) => entry.item));
        batch.forEach((entry, index) => {
          const result = results[index];
          if (result?.status === 'fulfilled') entry.resolve();
          else entry.reject(result?.reason ?? new Error('the batch returned no result for this item'));
        });
      } catch (error) {
        batch.forEach((entry) => entry.reject(error));
      }
    }
  }
}
