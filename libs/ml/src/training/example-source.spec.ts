import { batchesOf, type ExampleSource, inMemorySource, prefetchBatches } from './example-source';

/** A source whose reads finish only when the test says so, recording what is being read. */
function controlledSource(count: number) {
  const pending: { indices: readonly number[]; finish: () => void; fail: (error: Error) => void }[] = [];
  const aborted: (readonly number[])[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const source: ExampleSource = {
    labels: Array.from({ length: count }, () => 0),
    read: (indices, signal) =>
      new Promise((resolve, reject) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        let finished = false;
        const done = () => {
          finished = true;
          inFlight--;
        };
        signal?.addEventListener('abort', () => {
          if (finished) return;
          aborted.push(indices);
          done();
          reject(new Error('read aborted'));
        });
        pending.push({
          indices,
          finish: () => {
            done();
            resolve(indices.map((index) => Float32Array.of(index)));
          },
          fail: (error) => {
            done();
            reject(error);
          },
        });
      }),
  };
  return {
    source,
    pending,
    aborted,
    mostInFlight: () => mostInFlight,
  };
}

/** Lets promise callbacks queued so far run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('streamed examples', () => {
  it('gives the batches in order, with the inputs of their indices', async () => {
    const inputs = Array.from({ length: 7 }, (_, index) => Float32Array.of(index * 10));
    const source = inMemorySource({ inputs, labels: inputs.map(() => 0) });
    const seen: number[][] = [];
    for await (const batch of prefetchBatches(source, batchesOf([6, 0, 3, 1, 5, 2, 4], 3))) {
      expect(batch.inputs.map((input) => (input[0] as number) / 10)).toEqual(batch.indices);
      seen.push(batch.indices);
    }
    expect(seen).toEqual([[6, 0, 3], [1, 5, 2], [4]]);
  });

  it('reads ahead at most the batches asked for while one is being worked on', async () => {
    const reads = controlledSource(20);
    const batches = batchesOf(
      Array.from({ length: 20 }, (_, index) => index),
      2,
    );
    const iterator = prefetchBatches(reads.source, batches, { ahead: 2 });
    let next = iterator.next();
    for (let batch = 0; batch < batches.length; batch++) {
      await settle();
      reads.pending.shift()?.finish();
      const { value } = await next;
      expect(value?.indices).toEqual(batches[batch]);
      // While the caller works on this batch, the next two are read, and no more.
      await settle();
      expect(reads.pending.map((read) => read.indices)).toEqual(batches.slice(batch + 1, batch + 3));
      next = iterator.next();
    }
    expect((await next).done).toBe(true);
    expect(reads.mostInFlight()).toBe(2);
  });

  it('rejects when the batch whose read failed is reached', async () => {
    const reads = controlledSource(6);
    const iterator = prefetchBatches(reads.source, batchesOf([0, 1, 2, 3, 4, 5], 2), { ahead: 2 });
    const first = iterator.next();
    await settle();
    reads.pending[1]?.fail(new Error('image 3 is not a PNG'));
    reads.pending[0]?.finish();
    expect((await first).value?.indices).toEqual([0, 1]);
    await expect(iterator.next()).rejects.toThrow('image 3 is not a PNG');
  });

  it('aborts the reads under way when the caller stops early', async () => {
    const reads = controlledSource(8);
    const iterator = prefetchBatches(reads.source, batchesOf([0, 1, 2, 3, 4, 5, 6, 7], 2), { ahead: 2 });
    const first = iterator.next();
    await settle();
    reads.pending[0]?.finish();
    await first;
    await iterator.return(undefined);
    expect(reads.aborted).toEqual([
      [2, 3],
      [4, 5],
    ]);
  });

  it('aborts the reads under way when the signal is aborted', async () => {
    const reads = controlledSource(4);
    const cancel = new AbortController();
    const iterator = prefetchBatches(reads.source, batchesOf([0, 1, 2, 3], 2), { signal: cancel.signal });
    const first = iterator.next();
    await settle();
    cancel.abort();
    await expect(first).rejects.toThrow('read aborted');
    expect(reads.aborted).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });
});
