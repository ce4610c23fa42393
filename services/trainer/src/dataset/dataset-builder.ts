import { type Examples, type IgnoreRegion, imageToInput, type InputShape, stratifiedSplit } from '@hydra/ml';
import { OBJECT_STORE, type ObjectStore } from '@hydra/storage';
import { Inject, Injectable } from '@nestjs/common';
import { type LabeledImage, LabeledImagesRepository, type Split } from './labeled-images.repository';

/** Images fetched at once while a set is prepared. */
const FETCH_CONCURRENCY = 16;

export type SplitImage = LabeledImage & { split: Split; labelIndex: number };

/** A training set ready for `trainModel`, with the bytes of its test images for other models' inputs. */
export interface Dataset {
  /** Output order. */
  labels: string[];
  images: SplitImage[];
  train: Examples;
  validation: Examples;
  test: Examples;
  validationImages: SplitImage[];
  testImages: SplitImage[];
  testBytes: Buffer[];
}

/** Draws, splits (stratified, recorded per image) and prepares the labeled images of a plot type. */
@Injectable()
export class DatasetBuilder {
  constructor(
    private readonly labeled: LabeledImagesRepository,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
  ) {}

  /**
   * `labels` fixes the output order (a parent model's); else the plot type's palette order.
   * `ignoreRegions` are painted out of every image, as the model will see them when serving.
   */
  async build(
    plotType: string,
    jobId: string,
    input: InputShape,
    seed: number,
    labels?: string[],
    ignoreRegions: readonly IgnoreRegion[] = [],
  ): Promise<Dataset> {
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
    const bytes = await this.fetchAll(split);
    const inputs = await Promise.all(bytes.map((image) => imageToInput(image, input, ignoreRegions)));
    const part = (name: Split) => {
      const members = split
        .map((image, index) => ({ image, index }))
        .filter(({ image }) => image.split === name);
      return {
        images: members.map(({ image }) => image),
        examples: {
          inputs: members.map(({ index }) => inputs[index] as Float32Array),
          labels: members.map(({ image }) => image.labelIndex),
        },
        bytes: members.map(({ index }) => bytes[index] as Buffer),
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
      testBytes: test.bytes,
    };
  }

  private async outputOrder(plotType: string, present: string[]): Promise<string[]> {
    const palette = await this.labeled.palette(plotType);
    return [
      ...palette.filter((label) => present.includes(label)),
      ...present.filter((label) => !palette.includes(label)).sort(),
    ];
  }

  private async fetchAll(images: LabeledImage[]): Promise<Buffer[]> {
    const bytes: Buffer[] = [];
    for (let start = 0; start < images.length; start += FETCH_CONCURRENCY) {
      bytes.push(
        ...(await Promise.all(
          images.slice(start, start + FETCH_CONCURRENCY).map((image) => this.store.get(image.storageKey)),
        )),
      );
    }
    return bytes;
  }
}
