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
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
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
