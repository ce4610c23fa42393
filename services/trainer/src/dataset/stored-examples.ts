import {
  type ExampleSource,
  type IgnoreRegion,
  imageToInput,
  type InputShape,
  type ReferencePlots,
} from '@hydra/ml';
import type { ObjectStore } from '@hydra/storage';

/** One split's images by object key, with their label indices: all a training thread needs to read them. */
export interface StoredExamples {
  keys: string[];
  labels: number[];
}

/**
 * Reads and decodes `examples` from the store a batch at a time, as the model will see them
 * (`input`, `ignoreRegions` painted white, compared with `references` where the input has a Good
 * reference), so only the batches being read and trained are held.
 */
export function storedExampleSource(
  store: ObjectStore,
  examples: StoredExamples,
  input: InputShape,
  ignoreRegions: readonly IgnoreRegion[],
  references?: ReferencePlots,
): ExampleSource {
  return {
    labels: examples.labels,
    read: (indices, signal) =>
      Promise.all(
        indices.map(async (index) => {
          const key = examples.keys[index];
          if (key === undefined)
            throw new RangeError(`image ${index} is out of range (${examples.keys.length} images)`);
          signal?.throwIfAborted();
          const bytes = await store.get(key);
          signal?.throwIfAborted();
          try {
            return await imageToInput(bytes, input, ignoreRegions, references);
          } catch (error) {
            throw new Error(`image "${key}" cannot be prepared for training: ${(error as Error).message}`);
          }
        }),
      ),
  };
}

/** Up to `count` positions spread evenly over `length` (a bounded sample that covers the whole split). */
export function spreadSample(length: number, count: number): number[] {
  const step = Math.max(1, length / count);
  return Array.from({ length: Math.min(count, length) }, (_, index) => Math.floor(index * step));
}
