import { Image, PlotType } from '@hydra/db';
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

  /** Inserts the image; the existing row when the same bytes were stored before. */
  async insert(row: NewImageRow): Promise<{ image: StoredImage; duplicate: boolean }> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(Image)
      .values(row)
      .orIgnore()
      .returning(['id'])
      .execute();
    const inserted = (result.raw as { id: string }[])[0];
    if (inserted) return { image: { ...row, id: inserted.id }, duplicate: false };
    const image = await this.dataSource.getRepository(Image).findOneByOrFail({ sha256: row.sha256 });
    return { image, duplicate: true };
  }

  /** Whether any verdict exists yet: an image stored but never announced (a crash in between) has none. */
  async isClassified(imageId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM classification WHERE image_id = $1 LIMIT 1',
      [imageId],
    );
    return rows.length > 0;
  }
}
