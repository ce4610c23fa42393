import { stratifiedSplit } from '@hydra/ml';
import { Injectable } from '@nestjs/common';
import { type LabeledImage, LabeledImagesRepository, type Split } from './labeled-images.repository';
import type { StoredExamples } from './stored-examples';

export type SplitImage = LabeledImage & { split: Split; labelIndex: number };

/**
 * A training set by reference: which stored image is in which split with which label. The pixels
 * are read batch by batch while training (see storedExampleSource), so a set of any size fits.
 */
export interface Dataset {
  /** Output order. */
  labels: string[];
  images: SplitImage[];
  train: StoredExamples;
  validation: StoredExamples;
  test: StoredExamples;
  validationImages: SplitImage[];
  testImages: SplitImage[];
}

/** Draws and splits (stratified, recorded per image) the labeled images of a plot type. */
@Injectable()
export class DatasetBuilder {
  constructor(private readonly labeled: LabeledImagesRepository) {}

  /** `labels` fixes the output order (a parent model's); else the plot type's palette order. */
  async build(plotType: string, jobId: string, seed: number, labels?: string[]): Promise<Dataset> {
    const images = await this.labeled.trainable(plotType);
    const present = [...new Set(images.map((image) => image.label))];
    const order = labels ?? (await this.outputOrder(plotType, present));
    const unknown = present.filter((label) => !order.includes(label));
    if (unknown.length > 0)
      throw new Error(`the parent model has no output for ${unknown.join(', ')}; train from scratch instead`);
    if (present.length < 2) {
      throw new Error(
        `training needs labeled images of at least two classes; ${plotType} has ${images.length} labeled image(s) of ${present.length} class(es)`,
      );
    }
    const labelIndices = images.map((image) => order.indexOf(image.label));
    const splits = stratifiedSplit(labelIndices, { validation: 0.15, test: 0.15 }, seed);
    const split = images.map((image, index) => ({
      ...image,
      split: splits[index] as Split,
      labelIndex: labelIndices[index] as number,
    }));
    await this.labeled.recordSplit(jobId, split);
    const part = (name: Split) => {
      const images = split.filter((image) => image.split === name);
      return {
        images,
        examples: {
          keys: images.map((image) => image.storageKey),
          labels: images.map((image) => image.labelIndex),
        },
      };
    };
    const [train, validation, test] = [part('train'), part('validation'), part('test')];
    return {
      labels: order,
      images: split,
      train: train.examples,
      validation: validation.examples,
      test: test.examples,
      validationImages: validation.images,
      testImages: test.images,
    };
  }

  private async outputOrder(plotType: string, present: string[]): Promise<string[]> {
    const palette = await this.labeled.palette(plotType);
    return [
      ...palette.filter((label) => present.includes(label)),
      ...present.filter((label) => !palette.includes(label)).sort(),
    ];
  }
}
