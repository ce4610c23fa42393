/** The index of the largest value (the first, on ties). */
export function argMax(values: number[]): number {
  let best = 0;
  for (let index = 1; index < values.length; index++)
    if ((values[index] as number) > (values[best] as number)) best = index;
  return best;
}

/**
 * Throws a RangeError naming the first problem unless there is one row of finite outputs per
 * expert label, every row as long as the first (or `classes`), and every label a class index.
 * With `probabilities` (the default) every output must also lie in [0, 1].
 */
export function assertPredictions(
  truth: number[],
  outputs: number[][],
  { classes, probabilities = true }: { classes?: number; probabilities?: boolean } = {},
): void {
  if (truth.length !== outputs.length)
    throw new RangeError(`${truth.length} expert labels but ${outputs.length} rows of model outputs`);
  const width = classes ?? outputs[0]?.length ?? 0;
  outputs.forEach((row, index) => {
    if (row.length !== width || width === 0)
      throw new RangeError(`row ${index} has ${row.length} outputs, expected ${width}`);
    const bad = row.find((value) => !Number.isFinite(value) || (probabilities && (value < 0 || value > 1)));
    if (bad !== undefined)
      throw new RangeError(
        `row ${index} has ${bad}, not a ${probabilities ? 'probability' : 'finite number'}`,
      );
    const actual = truth[index] as number;
    if (!Number.isInteger(actual) || actual < 0 || actual >= width)
      throw new RangeError(`expert label ${actual} of row ${index} is not a class index below ${width}`);
  });
}
