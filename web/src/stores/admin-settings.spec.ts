import type { PlotTypeResponse } from '@hydra/contracts';
import { plotTypeSettingsDto } from '@hydra/contracts';
import { describe, expect, it } from 'vitest';
import { formOf, paletteProblems, regionProblems, settingsPatch, toggledGrant } from './admin-settings';

const plotType: PlotTypeResponse = {
  name: 'FCAL_occupancy',
  group: 'FCAL',
  hidden: false,
  chunked: true,
  collectPercent: 10,
  contact: null,
  alarm: { onDelay: 3, offDelay: 2, severity: 'major', enabled: true },
  palette: [
    { label: 'Good', colour: '#18A058', hotkey: 'g', excludedFromTraining: false },
    { label: 'Bad', colour: '#d03050', hotkey: 'b', excludedFromTraining: false },
  ],
  trainingGates: { minBadRecall: 0.5 },
  trainingDefaults: { epochs: 20 },
  autoPromote: false,
  ignoreRegions: [{ x: 0, y: 0, width: 1, height: 0.1 }],
  activeModelId: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

describe('settingsPatch', () => {
  it('is empty when nothing changed (colour case and blank text do not count)', () => {
    const edited = formOf(plotType);
    (edited.palette[0] as { colour: string }).colour = '#18a058';
    edited.contact = '  ';
    expect(settingsPatch(formOf(plotType), edited)).toEqual({});
  });

  it('sends only what changed, the alarm field by field, and passes the contract', () => {
    const edited = formOf(plotType);
    edited.alarm.onDelay = 5;
    edited.group = '';
    edited.contact = ' J. Doe x5555 ';
    edited.hidden = true;
    const patch = settingsPatch(formOf(plotType), edited);
    expect(patch).toEqual({ alarm: { onDelay: 5 }, group: null, contact: 'J. Doe x5555', hidden: true });
    expect(plotTypeSettingsDto.safeParse(patch).success).toBe(true);
  });

  it('replaces the whole palette when a label, colour, hotkey or the order changes', () => {
    const edited = formOf(plotType);
    edited.palette.reverse();
    edited.palette.push({ label: 'NoData', colour: '#888888', hotkey: '' });
    expect(settingsPatch(formOf(plotType), edited).palette).toEqual([
      { label: 'Bad', colour: '#d03050', hotkey: 'b' },
      { label: 'Good', colour: '#18a058', hotkey: 'g' },
      { label: 'NoData', colour: '#888888', hotkey: null },
    ]);
  });

  it('drops cleared gates and defaults, so the trainer uses its own', () => {
    const edited = formOf(plotType);
    edited.trainingGates.minBadRecall = null as unknown as number;
    edited.trainingGates.minTestPerClass = 5;
    edited.trainingDefaults.epochs = undefined;
    edited.autoPromote = true;
    const patch = settingsPatch(formOf(plotType), edited);
    expect(patch).toEqual({ trainingGates: { minTestPerClass: 5 }, trainingDefaults: {}, autoPromote: true });
    expect(plotTypeSettingsDto.safeParse(patch).success).toBe(true);
  });

  it('does not share objects with the plot type it was made from', () => {
    const form = formOf(plotType);
    form.alarm.onDelay = 9;
    (form.palette[0] as { label: string }).label = 'x';
    expect(plotType.alarm.onDelay).toBe(3);
    expect(plotType.palette[0]?.label).toBe('Good');
  });
});

describe('ignore regions', () => {
  it('are sent whole when one is added, moved or removed, and pass the contract', () => {
    const edited = formOf(plotType);
    edited.ignoreRegions.push({ x: 0.75, y: 0.1, width: 0.25, height: 0.3 });
    const patch = settingsPatch(formOf(plotType), edited);
    expect(patch).toEqual({
      ignoreRegions: [
        { x: 0, y: 0, width: 1, height: 0.1 },
        { x: 0.75, y: 0.1, width: 0.25, height: 0.3 },
      ],
    });
    expect(plotTypeSettingsDto.safeParse(patch).success).toBe(true);
    edited.ignoreRegions = [];
    expect(settingsPatch(formOf(plotType), edited)).toEqual({ ignoreRegions: [] });
  });

  it('name the region that leaves the image', () => {
    expect(regionProblems([{ x: 0, y: 0, width: 1, height: 0.1 }])).toEqual([]);
    expect(
      regionProblems([
        { x: 0, y: 0, width: 1, height: 0.1 },
        { x: 0.5, y: 0, width: 0.6, height: 0.1 },
      ]),
    ).toEqual(['region 2: a region ends past the right edge of the image (x + width > 1)']);
  });
});

describe('paletteProblems', () => {
  it('finds duplicate labels and hotkeys, blank labels and bad colours', () => {
    expect(paletteProblems(formOf(plotType).palette)).toEqual([]);
    expect(
      paletteProblems([
        { label: 'Good', colour: '#00ff00', hotkey: 'g' },
        { label: 'Good', colour: 'red', hotkey: 'g' },
        { label: ' ', colour: '#000000', hotkey: null },
      ]),
    ).toEqual([
      'every label needs a name',
      '"Good" appears twice',
      'the hotkey "g" is used by two labels',
      'colours are "#rrggbb"',
    ]);
  });
});

describe('toggledGrant', () => {
  const user = { permissions: [{ plotType: 'A', canLabel: true, canTrain: false, canPromote: false }] };
  it('adds to an existing grant or starts one', () => {
    expect(toggledGrant(user, 'A', 'canTrain', true)).toEqual({
      canLabel: true,
      canTrain: true,
      canPromote: false,
    });
    expect(toggledGrant(user, 'B', 'canPromote', true)).toEqual({
      canLabel: false,
      canTrain: false,
      canPromote: true,
    });
  });
  it('is null (delete the grant) when the last permission goes', () => {
    expect(toggledGrant(user, 'A', 'canLabel', false)).toBeNull();
  });
});
