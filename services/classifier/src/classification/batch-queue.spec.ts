import { BatchQueue } from './batch-queue';

describe('BatchQueue', () => {
  it('hands over what was submitted together, in batches of at most maxBatch, settling each item', async () => {
    const batches: number[][] = [];
    const queue = new BatchQueue<number>(3, async (items) => {
      batches.push(items);
      return items.map((item) =>
        item === 4
          ? { status: 'rejected' as const, reason: new Error('four is bad') }
          : { status: 'fulfilled' as const, value: undefined },
      );
    });
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((item) => queue.submit(item)));
    // The item that failed in a batch is tried once more on its own.
    expect(batches).toEqual([[1, 2, 3], [4, 5], [4]]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
  });

  it('retries a batch that throws item by item, so only the item that breaks it fails', async () => {
    const batches: string[][] = [];
    const queue = new BatchQueue<string>(10, async (items) => {
      batches.push(items);
      if (items.includes('deleted')) throw new Error('image deleted is not present in table "image"');
      return items.map(() => ({ status: 'fulfilled' as const, value: undefined }));
    });
    const items = ['a', 'b', 'deleted', 'c'];
    const results = await Promise.allSettled(items.map((item) => queue.submit(item)));
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(((results[2] as PromiseRejectedResult).reason as Error).message).toContain('image deleted');
    expect(batches).toEqual([items, ['a'], ['b'], ['deleted'], ['c']]);
  });

  it('rejects the whole batch when processing throws, and goes on with the next', async () => {
    let calls = 0;
    const queue = new BatchQueue<string>(10, async (items) => {
      if (calls++ === 0) throw new Error('database down');
      return items.map(() => ({ status: 'fulfilled' as const, value: undefined }));
    });
    await expect(queue.submit('a')).rejects.toThrow('database down');
    await expect(queue.submit('b')).resolves.toBeUndefined();
  });
});
