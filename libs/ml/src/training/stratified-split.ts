export type Split = 'train' | 'validation' | 'test';

/**
 * Splits examples per class in the given proportions, so every class is in every split (given
 * enough examples); deterministic for a seed. Returns the split of each example, in input order.
 */
export function stratifiedSplit(
  labels: number[],
  fractions: { validation: number; test: number },
  seed = 1,
): Split[] {
  const splits = new Array<Split>(labels.length).fill('train');
  for (const members of shuffledByClass(labels, seed)) {
    const testCount = Math.round(members.length * fractions.test);
    const validationCount = Math.round(members.length * fractions.validation);
    members.forEach((example, position) => {
      splits[example] =
        position < testCount ? 'test' : position < testCount + validationCount ? 'validation' : 'train';
    });
  }
  return splits;
}

/** The indices of each class's examples, each class shuffled (Fisher–Yates); deterministic for a seed. */
export function shuffledByClass(labels: number[], seed: number): number[][] {
  const random = seededRandom(seed);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, index) => byClass.set(label, [...(byClass.get(label) ?? []), index]));
  const classes = [...byClass.values()];
  for (const members of classes) {
    for (let index = members.length - 1; index > 0; index--) {
      const other = Math.floor(random() * (index + 1));
      [members[index], members[other]] = [members[other] as number, members[index] as number];
    }
  }
  return classes;
}

/** mulberry32: a small seeded generator, so splits and sampling repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
