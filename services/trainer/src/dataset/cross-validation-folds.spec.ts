import { foldExamples } from './cross-validation-folds';

describe('cross-validation folds of a labeled set', () => {
  const images = Array.from({ length: 23 }, (_, index) => ({
    storageKey: `images/${index}.png`,
    labelIndex: index % 4 === 0 ? 1 : 0,
  }));
  const folds = foldExamples(images, 5, 3);

  it('tests every image exactly once, and never trains a fold’s model on its test or validation images', () => {
    expect(folds).toHaveLength(5);
    const tested = folds.flatMap((fold) => fold.test.keys);
    expect([...tested].sort()).toEqual(images.map((image) => image.storageKey).sort());
    for (const fold of folds) {
      const held = new Set([...fold.test.keys, ...fold.validation.keys]);
      expect(fold.train.keys.filter((key) => held.has(key))).toEqual([]);
      expect(fold.train.keys.length + held.size).toBe(images.length);
    }
  });

  it('keeps each image’s label with it, and both classes in every test fold', () => {
    for (const fold of folds) {
      fold.test.keys.forEach((key, position) => {
        const image = images.find((candidate) => candidate.storageKey === key);
        expect(fold.test.labels[position]).toBe(image?.labelIndex);
      });
      expect(new Set(fold.test.labels)).toEqual(new Set([0, 1]));
    }
  });
});
