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

/** The `image` rows ingest writes, and the plot types it registers on first sight. */
@Injectable()
export class ImageRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** An unknown plot type shows up with no model rather than being refused; admins configure it later. */
  async registerPlotType(name: string, chunked: boolean): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(PlotType)
      .values({ name, chunked })
      .orIgnore()
      .execute();
  }

  /** Inserts the image; the existing row when the same bytes were stored before. */
  async insert(row: NewImageRow): Promise<{ image: Image; duplicate: boolean }> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(Image)
      .values(row)
      .orIgnore()
      .returning(['id'])
      .execute();
    const inserted = (result.raw as { id: string }[])[0];
    const image = await this.dataSource
      .getRepository(Image)
      .findOneByOrFail(inserted ? { id: inserted.id } : { sha256: row.sha256 });
    return { image, duplicate: !inserted };
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
