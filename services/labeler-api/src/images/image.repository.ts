import type { ImageListItem, ImageListQuery, ImageVerdict } from '@hydra/contracts';
import { Classification, Explanation, Image } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ImageOrder, ORDERS } from './image-order';

/** What a list may be narrowed by: the public filters, and the labeling queue's own. */
export interface ImageFilter extends Omit<ImageListQuery, 'limit' | 'cursor'> {
  /** One image. */
  id?: string;
  /** Only images kept for labeling. */
  kept?: boolean;
  /** The review queue: labels the latest verdict contradicts, and kept unlabeled images with an unconfirmed verdict. */
  review?: boolean;
}

/** An image of a list without its URLs, and the values of its sort key (the next page starts after them). */
export interface ImageRow {
  item: Omit<ImageListItem, 'thumbnailUrl' | 'fileUrl'>;
  key: (string | number)[];
}

interface RawRow {
  id: string;
  plot_type: string;
  run_period: string;
  run_number: number;
  chunk: number | null;
  captured_at: Date;
  keep: boolean;
  keep_reason: ImageListItem['keepReason'];
  verdict: string | null;
  confidence: number;
  confirmed: boolean;
  model_id: string | null;
  outputs: Record<string, number>;
  classified_at: Date;
  label: string | null;
  [key: `k${number}`]: string | number;
}

/** The newest verdict of each image, and its margin (best minus second-best output) for "uncertain first". */
const LATEST_VERDICT = `LEFT JOIN LATERAL (
    SELECT c.verdict, c.confidence, c.confirmed, c.model_id, c.outputs, c.classified_at,
           (SELECT s[1] - coalesce(s[2], 0)
              FROM (SELECT array_agg(value::float8 ORDER BY value::float8 DESC) AS s
                      FROM jsonb_each(c.outputs)) AS sorted) AS margin
      FROM classification c WHERE c.image_id = i.id
     ORDER BY c.classified_at DESC, c.id DESC LIMIT 1) v ON true`;

/** Images with their latest verdict and current label, one keyset page at a time. */
@Injectable()
export class ImageRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async page(
    filter: ImageFilter,
    order: ImageOrder,
    after: (string | number)[] | null,
    limit: number,
  ): Promise<ImageRow[]> {
    const { keys, direction } = ORDERS[order];
    const parameters: unknown[] = [];
    const bind = (value: unknown) => `$${parameters.push(value)}`;
    const where = conditions(filter, bind);
    if (after)
      where.push(
        `(${keys.map((key) => key.sql).join(', ')}) ${direction === 'DESC' ? '<' : '>'} ` +
          `(${keys.map((key, index) => `${bind(after[index])}::${key.type}`).join(', ')})`,
      );
    const rows: RawRow[] = await this.dataSource.query(
      `SELECT i.id, i.plot_type, i.run_period, i.run_number, i.chunk, i.captured_at, i.keep, i.keep_reason,
              v.verdict, v.confidence, v.confirmed, v.model_id, v.outputs, v.classified_at, l.name AS label,
              ${keys.map((key, index) => `${key.select ?? key.sql} AS k${index}`).join(', ')}
         FROM image i
         ${LATEST_VERDICT}
         LEFT JOIN image_label il ON il.image_id = i.id
         LEFT JOIN label l ON l.id = il.label_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${keys.map((key) => `${key.sql} ${direction}`).join(', ')}
        LIMIT ${bind(limit)}`,
      parameters,
    );
    return rows.map((row) => ({
      item: {
        id: row.id,
        plotType: row.plot_type,
        runPeriod: row.run_period,
        runNumber: row.run_number,
        chunk: row.chunk,
        capturedAt: row.captured_at.toISOString(),
        keep: row.keep,
        keepReason: row.keep_reason,
        latestVerdict: row.verdict === null ? null : verdictOf(row),
        label: row.label,
      },
      key: keys.map((_key, index) => row[`k${index}`] as string | number),
    }));
  }

  /** The image as a list shows it, or null when there is none. */
  async item(id: string): Promise<ImageRow['item'] | null> {
    return (await this.page({ id }, 'newest', null, 1))[0]?.item ?? null;
  }

  findById(id: string): Promise<Image | null> {
    return this.dataSource.getRepository(Image).findOneBy({ id });
  }

  /** Every verdict of the image, newest first. */
  async verdicts(imageId: string): Promise<ImageVerdict[]> {
    const rows = await this.dataSource
      .getRepository(Classification)
      .find({ where: { imageId }, order: { classifiedAt: 'DESC', id: 'DESC' } });
    return rows.map((row) => ({
      verdict: row.verdict,
      confidence: row.confidence,
      confirmed: row.confirmed,
      modelId: row.modelId,
      outputs: row.outputs,
      classifiedAt: row.classifiedAt.toISOString(),
    }));
  }

  heatmaps(imageId: string): Promise<Explanation[]> {
    return this.dataSource
      .getRepository(Explanation)
      .find({ where: { imageId }, order: { createdAt: 'DESC' } });
  }

  heatmap(imageId: string, modelId: string): Promise<Explanation | null> {
    return this.dataSource.getRepository(Explanation).findOneBy({ imageId, modelId });
  }
}

function verdictOf(row: RawRow): ImageVerdict {
  return {
    verdict: row.verdict as string,
    confidence: row.confidence,
    confirmed: row.confirmed,
    modelId: row.model_id,
    outputs: row.outputs,
    classifiedAt: row.classified_at.toISOString(),
  };
}

/** The WHERE clauses of a filter, binding each value as a parameter. */
function conditions(filter: ImageFilter, bind: (value: unknown) => string): string[] {
  const where: string[] = [];
  if (filter.id !== undefined) where.push(`i.id = ${bind(filter.id)}`);
  if (filter.plotType !== undefined) where.push(`i.plot_type = ${bind(filter.plotType)}`);
  if (filter.group !== undefined)
    where.push(`i.plot_type IN (SELECT name FROM plot_type WHERE group_name = ${bind(filter.group)})`);
  // Run bounds as bigint, so one past the integer column's range matches nothing (or everything), not an
  // error; times as Dates, which PostgreSQL reads whatever the ISO offset (it refuses ±16:00 and year 0 as text).
  if (filter.runFrom !== undefined) where.push(`i.run_number >= ${bind(filter.runFrom)}::bigint`);
  if (filter.runTo !== undefined) where.push(`i.run_number <= ${bind(filter.runTo)}::bigint`);
  if (filter.from !== undefined) where.push(`i.captured_at >= ${bind(new Date(filter.from))}`);
  if (filter.to !== undefined) where.push(`i.captured_at < ${bind(new Date(filter.to))}`);
  if (filter.verdict !== undefined) where.push(`v.verdict = ${bind(filter.verdict)}`);
  if (filter.confirmed !== undefined) where.push(`v.confirmed = ${bind(filter.confirmed)}`);
  if (filter.label !== undefined) where.push(`l.name = ${bind(filter.label)}`);
  if (filter.keepReason !== undefined) where.push(`i.keep_reason = ${bind(filter.keepReason)}`);
  if (filter.unlabeled === true) where.push('il.image_id IS NULL');
  if (filter.unlabeled === false) where.push('il.image_id IS NOT NULL');
  if (filter.disagreement === true) where.push('l.name IS NOT NULL AND v.verdict <> l.name');
  if (filter.disagreement === false)
    where.push('(l.name IS NULL OR v.verdict IS NULL OR v.verdict = l.name)');
  if (filter.kept) where.push('i.keep');
  if (filter.review)
    where.push(
      '((l.name IS NOT NULL AND v.verdict <> l.name) OR (il.image_id IS NULL AND i.keep AND NOT v.confirmed))',
    );
  return where;
}
