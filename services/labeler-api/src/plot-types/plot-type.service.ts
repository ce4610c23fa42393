import type {
  PaletteEntryDto,
  PlotTypeCreateDto,
  PlotTypeResponse,
  PlotTypeSettingsDto,
  TrainingDefaultsDto,
  TrainingGatesDto,
} from '@hydra/contracts';
import type { PlotType } from '@hydra/db';
import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PlotAccessService } from '../auth/plot-access.service';
import type { Principal } from '../auth/principal';
import { type PlotTypeColumns, PlotTypeRepository } from './plot-type.repository';

/** The colour of a label a palette creates without saying which. */
const NEW_LABEL_COLOUR = '#607d8b';

/**
 * Plot-type settings. A palette names labels; one that does not exist yet is created (with the
 * entry's colour), so an expert can add a class without an admin. Colours belong to the label and
 * are shared by every plot type, so only an admin may change an existing label's colour.
 */
@Injectable()
export class PlotTypeService {
  constructor(
    private readonly repository: PlotTypeRepository,
    private readonly access: PlotAccessService,
  ) {}

  async list(): Promise<PlotTypeResponse[]> {
    const plotTypes = await this.repository.all();
    const palettes = await this.repository.palettes(plotTypes.map((plotType) => plotType.name));
    return plotTypes.map((plotType) => toResponse(plotType, palettes));
  }

  async get(name: string, manager?: EntityManager): Promise<PlotTypeResponse> {
    const plotType = await this.repository.one(name, manager);
    if (!plotType) throw new NotFoundException(`no plot type "${name}"`);
    return toResponse(plotType, await this.repository.palettes([name], manager));
  }

  /** Admins only (the route says so); a taken name is a 409. */
  async create(
    actor: Principal,
    { name, palette, ...settings }: PlotTypeCreateDto,
  ): Promise<PlotTypeResponse> {
    return this.repository.transaction(async (manager) => {
      if (!(await this.repository.insert(manager, name, toColumns(settings))))
        throw new ConflictException(`plot type "${name}" exists already`);
      if (palette) await this.replacePalette(manager, actor, name, palette);
      return this.get(name, manager);
    });
  }

  async update(actor: Principal, name: string, settings: PlotTypeSettingsDto): Promise<PlotTypeResponse> {
    await this.access.assert(actor, name, 'train');
    return this.repository.transaction(async (manager) => {
      if (!(await this.repository.locked(manager, name)))
        throw new NotFoundException(`no plot type "${name}"`);
      const { palette, ...rest } = settings;
      await this.repository.update(manager, name, toColumns(rest));
      if (palette) await this.replacePalette(manager, actor, name, palette);
      return this.get(name, manager);
    });
  }

  private async replacePalette(
    manager: EntityManager,
    actor: Principal,
    plotType: string,
    entries: PaletteEntryDto[],
  ): Promise<void> {
    const names = entries.map((entry) => entry.label);
    const known = await this.repository.labelsNamed(manager, names);
    for (const label of known) {
      const colour = entries.find((entry) => entry.label === label.name)?.colour;
      if (!colour || colour.toLowerCase() === label.colour.toLowerCase()) continue;
      if (actor.role !== 'admin')
        throw new ForbiddenException(
          `${label.name}'s colour ${label.colour} is shared by every plot type; only an admin may change it to ${colour}`,
        );
      await this.repository.setLabelColour(manager, label.id, colour);
    }
    await this.repository.createLabels(
      manager,
      entries
        .filter((entry) => !known.some((label) => label.name === entry.label))
        .map((entry) => ({ name: entry.label, colour: entry.colour ?? NEW_LABEL_COLOUR })),
    );
    const labels = await this.repository.labelsNamed(manager, names);
    await this.repository.replacePalette(
      manager,
      plotType,
      entries.map((entry, position) => ({
        labelId: labels.find((label) => label.name === entry.label)?.id as number,
        position,
        hotkey: entry.hotkey ?? null,
      })),
    );
  }
}

function toColumns(settings: Omit<PlotTypeSettingsDto, 'palette'>): PlotTypeColumns {
  const { group, alarm, ...same } = settings;
  const columns: PlotTypeColumns = { ...same };
  if (group !== undefined) columns.groupName = group;
  if (alarm?.onDelay !== undefined) columns.alarmOnDelay = alarm.onDelay;
  if (alarm?.offDelay !== undefined) columns.alarmOffDelay = alarm.offDelay;
  if (alarm?.severity !== undefined) columns.alarmSeverity = alarm.severity;
  if (alarm?.enabled !== undefined) columns.alarmEnabled = alarm.enabled;
  return columns;
}

function toResponse(
  plotType: PlotType,
  palettes: Map<string, PlotTypeResponse['palette']>,
): PlotTypeResponse {
  return {
    name: plotType.name,
    group: plotType.groupName,
    hidden: plotType.hidden,
    chunked: plotType.chunked,
    collectPercent: plotType.collectPercent,
    contact: plotType.contact,
    alarm: {
      onDelay: plotType.alarmOnDelay,
      offDelay: plotType.alarmOffDelay,
      severity: plotType.alarmSeverity,
      enabled: plotType.alarmEnabled,
    },
    palette: palettes.get(plotType.name) ?? [],
    trainingGates: plotType.trainingGates as TrainingGatesDto,
    trainingDefaults: plotType.trainingDefaults as TrainingDefaultsDto,
    autoPromote: plotType.autoPromote,
    ignoreRegions: plotType.ignoreRegions,
    activeModelId: plotType.activeModelId,
    createdAt: plotType.createdAt.toISOString(),
    updatedAt: plotType.updatedAt.toISOString(),
  };
}
