/** Examples already turned into model input (see imageToInput). */
export interface Examples {
  inputs: Float32Array[];
  labels: number[];
  /** Per-image training weight; 0 leaves an image out. */
  weights?: number[];
}

/**
 * Examples whose labels are known up front and whose inputs are read when a batch needs them, so
 * a training set need not fit in memory (the trainer reads and decodes from the object store).
 */
export interface ExampleSource {
  readonly labels: readonly number[];
  /** Per-image training weight; 0 leaves an image out. */
  readonly weights?: readonly number[];
  /** The inputs of `indices`, in that order; stops early (rejecting) when `signal` aborts. */
  read(indices: readonly number[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** What trainModel and evaluate take: inputs in memory, or a source that reads them per batch. */
export type TrainingData = Examples | ExampleSource;

export function exampleSource(data: TrainingData): ExampleSource {
  return 'read' in data ? data : inMemorySource(data);
}

/** A source over inputs already in memory (tests, small callers). */
export function inMemorySource(examples: Examples): ExampleSource {
  return {
    labels: examples.labels,
    weights: examples.weights,
    read: async (indices) =>
      indices.map((index) => {
        const input = examples.inputs[index];
        if (!input)
          throw new RangeError(`example ${index} is out of range (${examples.inputs.length} examples)`);
        return input;
      }),
  };
}

export interface Batch {
  indices: number[];
  inputs: Float32Array[];
}

/**
 * Reads `batches` in order, keeping up to `ahead` batches being read while the caller works on the
 * one it was given, so at most `ahead` + 1 batches' inputs are held at once. A failed read rejects
 * when its batch is reached; leaving the loop early aborts the reads still under way.
 */
export async function* prefetchBatches(
  source: ExampleSource,
  batches: readonly number[][],
  options: { ahead?: number; signal?: AbortSignal } = {},
): AsyncGenerator<Batch> {
  const ahead = Math.max(1, options.ahead ?? 2);
  const reads = new AbortController();
  const stopReads = () => reads.abort(options.signal?.reason);
  if (options.signal?.aborted) stopReads();
  else options.signal?.addEventListener('abort', stopReads, { once: true });
  const queue: { indices: number[]; inputs: Promise<Float32Array[]> }[] = [];
  let next = 0;
  const start = () => {
    const indices = batches[next++] as number[];
    const inputs = source.read(indices, reads.signal);
    inputs.catch(() => undefined); // a read nobody waits for any more (the loop ended) must not reject unhandled
    queue.push({ indices, inputs });
  };
  try {
    while (next < batches.length && queue.length < ahead) start();
    for (let head = queue.shift(); head; head = queue.shift()) {
      const inputs = await head.inputs;
      if (next < batches.length) start();
      yield { indices: head.indices, inputs };
    }
  } finally {
    options.signal?.removeEventListener('abort', stopReads);
    reads.abort();
  }
}

/** `indices` cut into consecutive batches of `size` (the last may be smaller). */
export function batchesOf(indices: readonly number[], size: number): number[][] {
  const batches: number[][] = [];
  for (let start = 0; start < indices.length; start += size) batches.push(indices.slice(start, start + size));
  return batches;
}
