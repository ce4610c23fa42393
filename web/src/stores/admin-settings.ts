import {
  type AlarmPolicyDto,
  type IgnoreRegionDto,
  ignoreRegionsDto,
  type PaletteEntryDto,
  type PlotTypeResponse,
  type PlotTypeSettingsDto,
  type TrainingDefaultsDto,
  type TrainingGatesDto,
  type UserResponse,
} from '@hydra/contracts';

/** The editable settings of a plot type, as the Admin form holds them. */
export interface PlotTypeForm {
  group: string | null;
  hidden: boolean;
  chunked: boolean;
  collectPercent: number;
  contact: string | null;
  alarm: AlarmPolicyDto;
  palette: { label: string; colour: string; hotkey: string | null }[];
  trainingGates: TrainingGatesDto;
  trainingDefaults: TrainingDefaultsDto;
  autoPromote: boolean;
  ignoreRegions: IgnoreRegionDto[];
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Drops null, undefined and "" values (a cleared number field means "the trainer's default"). */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== null && entry !== undefined && entry !== ''),
  ) as T;
}

/** The form's starting point: a copy of the plot type's settings. */
export function formOf(plotType: PlotTypeResponse): PlotTypeForm {
  return {
    group: plotType.group,
    hidden: plotType.hidden,
    chunked: plotType.chunked,
    collectPercent: plotType.collectPercent,
    contact: plotType.contact,
    alarm: { ...plotType.alarm },
    palette: plotType.palette.map(({ label, colour, hotkey }) => ({ label, colour, hotkey })),
    trainingGates: clone(plotType.trainingGates ?? {}),
    trainingDefaults: clone(plotType.trainingDefaults ?? {}),
    autoPromote: plotType.autoPromote,
    ignoreRegions: clone(plotType.ignoreRegions ?? []),
  };
}

const text = (value: string | null | undefined) => (value?.trim() ? value.trim() : null);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function paletteOf(form: PlotTypeForm): PaletteEntryDto[] {
  return form.palette.map((entry) => ({
    label: entry.label.trim(),
    colour: entry.colour.toLowerCase(),
    hotkey: entry.hotkey?.trim() ? entry.hotkey.trim() : null,
  }));
}

/** The PATCH body: only what changed (alarm field by field; palette, gates and defaults whole). */
export function settingsPatch(original: PlotTypeForm, edited: PlotTypeForm): PlotTypeSettingsDto {
  const patch: PlotTypeSettingsDto = {};
  if (text(edited.group) !== text(original.group)) patch.group = text(edited.group);
  if (edited.hidden !== original.hidden) patch.hidden = edited.hidden;
  if (edited.chunked !== original.chunked) patch.chunked = edited.chunked;
  if (edited.collectPercent !== original.collectPercent) patch.collectPercent = edited.collectPercent;
  if (text(edited.contact) !== text(original.contact)) patch.contact = text(edited.contact);
  const alarm: Partial<AlarmPolicyDto> = {};
  for (const key of ['onDelay', 'offDelay', 'severity', 'enabled'] as const)
    if (edited.alarm[key] !== original.alarm[key]) Object.assign(alarm, { [key]: edited.alarm[key] });
  if (Object.keys(alarm).length > 0) patch.alarm = alarm;
  const palette = paletteOf(edited);
  if (!same(palette, paletteOf(original))) patch.palette = palette;
  const gates = compact(edited.trainingGates);
  if (!same(gates, compact(original.trainingGates))) patch.trainingGates = gates;
  const defaults = compact(edited.trainingDefaults);
  if (!same(defaults, compact(original.trainingDefaults))) patch.trainingDefaults = defaults;
  if (edited.autoPromote !== original.autoPromote) patch.autoPromote = edited.autoPromote;
  if (!same(edited.ignoreRegions, original.ignoreRegions)) patch.ignoreRegions = edited.ignoreRegions;
  return patch;
}

/** What is wrong with the palette before the server says so: duplicate labels or hotkeys, bad colours. */
export function paletteProblems(palette: PlotTypeForm['palette']): string[] {
  const problems: string[] = [];
  const labels = palette.map((entry) => entry.label.trim());
  if (labels.some((label) => !label)) problems.push('every label needs a name');
  const duplicate = labels.find((label, index) => label && labels.indexOf(label) !== index);
  if (duplicate) problems.push(`"${duplicate}" appears twice`);
  const keys = palette.flatMap((entry) => (entry.hotkey?.trim() ? [entry.hotkey.trim()] : []));
  const twice = keys.find((key, index) => keys.indexOf(key) !== index);
  if (twice) problems.push(`the hotkey "${twice}" is used by two labels`);
  if (palette.some((entry) => !/^#[0-9A-Fa-f]{6}$/.test(entry.colour)))
    problems.push('colours are "#rrggbb"');
  return problems;
}

/** What is wrong with the ignore regions, in the contract's words, before the server says so. */
export function regionProblems(regions: PlotTypeForm['ignoreRegions']): string[] {
  const result = ignoreRegionsDto.safeParse(regions);
  if (result.success) return [];
  return [
    ...new Set(
      result.error.issues.map((issue) =>
        issue.path.length ? `region ${Number(issue.path[0]) + 1}: ${issue.message}` : issue.message,
      ),
    ),
  ];
}

export type GrantKey = 'canLabel' | 'canTrain' | 'canPromote';

/** A user's grant on a plot type with one permission switched; null when nothing is left (DELETE). */
export function toggledGrant(
  user: Pick<UserResponse, 'permissions'>,
  plotType: string,
  key: GrantKey,
  value: boolean,
): { canLabel: boolean; canTrain: boolean; canPromote: boolean } | null {
  const current = user.permissions.find((grant) => grant.plotType === plotType);
  const next = {
    canLabel: current?.canLabel ?? false,
    canTrain: current?.canTrain ?? false,
    canPromote: current?.canPromote ?? false,
    [key]: value,
  };
  return next.canLabel || next.canTrain || next.canPromote ? next : null;
}
