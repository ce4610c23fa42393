import type { PaletteEntry } from '@hydra/contracts';
import { Label, PlotType, PlotTypeLabel } from '@hydra/db';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, type QueryDeepPartialEntity } from 'typeorm';

/** The columns of `plot_type` that settings may change. */
export type PlotTypeColumns = Partial<
  Pick<
    PlotType,
    | 'groupName'
    | 'hidden'
    | 'chunked'
    | 'collectPercent'
    | 'contact'
    | 'alarmOnDelay'
    | 'alarmOffDelay'
    | 'alarmSeverity'
    | 'alarmEnabled'
    | 'autoPromote'
    | 'trainingGates'
    | 'trainingDefaults'
    | 'ignoreRegions'
  >
>;

/** One row of a palette to write: the label, its place in the model's outputs, its key. */
export interface PaletteRow {
  labelId: number;
  position: number;
  hotkey: string | null;
}

/** Plot types, their palettes, and the labels palettes are made of. */
@Injectable()
export class PlotTypeRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  all(): Promise<PlotType[]> {
    return this.dataSource.getRepository(PlotType).find({ order: { groupName: 'ASC', name: 'ASC' } });
  }

  one(name: string, manager: EntityManager = this.dataSource.manager): Promise<PlotType | null> {
    return manager.getRepository(PlotType).findOneBy({ name });
  }

  /** The plot type, locked until the transaction ends so two edits of its palette do not interleave. */
  locked(manager: EntityManager, name: string): Promise<PlotType | null> {
    return manager.getRepository(PlotType).findOne({ where: { name }, lock: { mode: 'pessimistic_write' } });
  }

  /** False when the name is taken. */
  async insert(manager: EntityManager, name: string, columns: PlotTypeColumns): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(PlotType)
      .values(writable({ name, ...columns }))
      .orIgnore()
      .returning(['name'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  async update(manager: EntityManager, name: string, columns: PlotTypeColumns): Promise<void> {
    if (Object.keys(columns).length) await manager.update(PlotType, { name }, writable(columns));
  }

  /** The palettes of these plot types, each in position order. */
  async palettes(
    names: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, PaletteEntry[]>> {
    const rows: {
      plot_type: string;
      name: string;
      colour: string;
      hotkey: string | null;
      excluded_from_training: boolean;
    }[] = await manager.query(
      `SELECT p.plot_type, l.name, l.colour, p.hotkey, l.excluded_from_training
         FROM plot_type_label p JOIN label l ON l.id = p.label_id
        WHERE p.plot_type = ANY($1) ORDER BY p.plot_type, p.position`,
      [names],
    );
    const palettes = new Map<string, PaletteEntry[]>(names.map((name) => [name, []]));
    for (const row of rows)
      palettes.get(row.plot_type)?.push({
        label: row.name,
        colour: row.colour,
        hotkey: row.hotkey,
        excludedFromTraining: row.excluded_from_training,
      });
    return palettes;
  }

  labelsNamed(manager: EntityManager, names: string[]): Promise<Label[]> {
    return manager.getRepository(Label).findBy({ name: In(names) });
  }

  /** Creates the labels that do not exist yet; a concurrent creation of the same name is not an error. */
  async createLabels(manager: EntityManager, labels: Pick<Label, 'name' | 'colour'>[]): Promise<void> {
    if (labels.length)
      await manager.createQueryBuilder().insert().into(Label).values(labels).orIgnore().execute();
  }

  async setLabelColour(manager: EntityManager, labelId: number, colour: string): Promise<void> {
    await manager.update(Label, { id: labelId }, { colour });
  }

  async replacePalette(manager: EntityManager, plotType: string, rows: PaletteRow[]): Promise<void> {
    await manager.delete(PlotTypeLabel, { plotType });
    if (rows.length)
      await manager.insert(
        PlotTypeLabel,
        rows.map((row) => ({ plotType, ...row })),
      );
  }
}

/** TypeORM's deep-partial type cannot see that a jsonb `Record<string, unknown>` column takes any object. */
function writable(columns: PlotTypeColumns & { name?: string }): QueryDeepPartialEntity<PlotType> {
  return columns as QueryDeepPartialEntity<PlotType>;
}
