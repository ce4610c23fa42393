/**
 * Hydra's balancing: every class resampled (with replacement when it is smaller) to the size of the
 * reference class — by default the Bad class, else the largest — so rare faults are seen as often
 * as good plots. Returns example indices in a shuffled order.
 */
export function balancedEpoch(
  labels: number[],
  classCount: number,
  random: () => number,
  referenceClass?: number,
): number[] {
  const byClass = Array.from({ length: classCount }, () => [] as number[]);
  labels.forEach((label, index) => byClass[label]?.push(index));
  const present = byClass.filter((members) => members.length > 0);
  const target =
    referenceClass !== undefined && (byClass[referenceClass]?.length ?? 0) > 0
      ? (byClass[referenceClass] as number[]).length
      : Math.max(...present.map((members) => members.length));
  const epoch: number[] = [];
  for (const members of present) {
    const shuffled = shuffle([...members], random);
    for (let index = 0; index < target; index++) {
      epoch.push(
        index < shuffled.length
          ? (shuffled[index] as number)
          : (members[Math.floor(random() * members.length)] as number),
      );
    }
  }
  return shuffle(epoch, random);
}

/** Inverse-frequency class weights (mean 1), the weighted-loss alternative to resampling. */
export function classWeights(labels: number[], classCount: number): number[] {
  const counts = Array.from(
    { length: classCount },
    (_, label) => labels.filter((value) => value === label).length,
  );
  const present = counts.filter((count) => count > 0).length;
  return counts.map((count) => (count > 0 ? labels.length / (present * count) : 0));
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other] as T, items[index] as T];
  }
  return items;
}
