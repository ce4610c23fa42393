import { Image, ImageOutbox, PlotType } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type NewImageRow = Pick<
  Image,
  | 'plotType'
  | 'runPeriod'
  | 'runNumber'
  | 'chunk'
  | 'pad'
  | 'capturedAt'
  | 'sha256'
  | 'storageKey'
  | 'sizeBytes'
  | 'width'
  | 'height'
>;

export type StoredImage = NewImageRow & { id: string };

/** What makes two deliveries one plot. */
export type DeliveryKey = Pick<NewImageRow, 'plotType' | 'runNumber' | 'chunk' | 'pad' | 'sha256'>;

/** The `image` rows ingest writes, and the plot types it registers on first sight. */
@Injectable()
export class ImageRepository {
  /** Plot types known to exist, so the common case costs no query. */
  private readonly knownPlotTypes = new Set<string>();

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** An unknown plot type shows up with no model rather than being refused; admins configure it later. */
  async registerPlotType(name: string, chunked: boolean): Promise<void> {
    if (this.knownPlotTypes.has(name)) return;
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(PlotType)
      .values({ name, chunked })
      .orIgnore()
      .execute();
    this.knownPlotTypes.add(name);
  }

  /**
   * The image already stored for this delivery of a plot: the same plot type, run, chunk, pad and
   * bytes. The same bytes as another plot (an empty NoData plot of another run) are not a delivery of it.
   */
  async findDelivery(key: DeliveryKey): Promise<StoredImage | null> {
    return (
      this.dataSource
        .getRepository(Image)
        .createQueryBuilder('image')
        // The expressions of image_delivery_unique, so that index answers.
        .where('image.plotType = :plotType AND image.runNumber = :runNumber AND image.sha256 = :sha256', key)
        .andWhere(
          `COALESCE(image.chunk, -1) = COALESCE(:chunk, -1) AND COALESCE(image.pad, '') = COALESCE(:pad, '')`,
          key,
        )
        .getOne()
    );
  }

  /**
   * Inserts the image and, in the same transaction, its pending `image.new` (the outbox row the
   * relay sends); the existing row when this plot was delivered before (image_delivery_unique).
   */
  async insert(row: NewImageRow): Promise<{ image: StoredImage; duplicate: boolean }> {
    const id = await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .insert()
        .into(Image)
        .values(row)
        // Two deliveries of one plot at once: the second finds the first's row.
        .orIgnore()
        .returning(['id'])
        .execute();
      const inserted = (result.raw as { id: string }[])[0];
      if (inserted) await manager.insert(ImageOutbox, { imageId: inserted.id });
      return inserted?.id;
    });
    if (id) return { image: { ...row, id }, duplicate: false };
    const image = await this.findDelivery(row);
    if (!image) throw new Error(`image of ${row.plotType} run ${row.runNumber} neither inserted nor found`);
    return { image, duplicate: true };
  }

  /** Queues `image.new` for a stored image again, unless it is still waiting to be sent. */
  async queueAnnouncement(imageId: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ImageOutbox)
      .values({ imageId })
      .orIgnore()
      .execute();
  }

  /** Whether any verdict exists yet: an image whose announcement was lost (before the outbox) has none. */
  async isClassified(imageId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM classification WHERE image_id = $1 LIMIT 1',
      [imageId],
    );
    return rows.length > 0;
  }
}
