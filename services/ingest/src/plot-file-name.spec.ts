import { isTemporaryName, parsePlotPath } from './plot-file-name';

describe('parsePlotPath', () => {
  it.each([
    [
      '/data/RunPeriod-2026-01/Run012345/FCAL_occupancy_0007.png',
      { plotType: 'FCAL_occupancy', pad: null, chunk: 7, runNumber: 12345, runPeriod: '2026-01' },
    ],
    [
      '/data/RunPeriod-2026-01/Run012345/FCAL_occupancy.png',
      { plotType: 'FCAL_occupancy', pad: null, chunk: null, runNumber: 12345, runPeriod: '2026-01' },
    ],
    [
      'RunPeriod-2019-11/Run070001/CDC_occupancy-2_0013.png',
      { plotType: 'CDC_occupancy', pad: '2', chunk: 13, runNumber: 70001, runPeriod: '2019-11' },
    ],
    [
      'RunPeriod-A/Run1/Trigger-bits-3.JPG',
      { plotType: 'Trigger-bits', pad: '3', chunk: null, runNumber: 1, runPeriod: 'A' },
    ],
  ])('reads %s', (path, expected) => {
    expect(parsePlotPath(path)).toEqual(expected);
  });

  it.each([
    ['RunPeriod-A/Run1/notes.txt', 'is not <PlotType>'],
    ['RunPeriod-A/Run1/_0001.png', 'is not <PlotType>'],
    ['RunPeriod-A/Run1/..png', 'is not <PlotType>'],
    ['RunPeriod-A/misc/FCAL_0001.png', 'is not Run<number>'],
    ['elsewhere/Run1/FCAL_0001.png', 'is not RunPeriod-<period>'],
    [`RunPeriod-A/Run1/${'x'.repeat(70)}.png`, 'plot type'],
  ])('refuses %s', (path, reason) => {
    expect(() => parsePlotPath(path)).toThrow(reason);
  });
});

describe('isTemporaryName', () => {
  it.each([
    ['.FCAL_0001.png', true],
    ['FCAL_0001.png.tmp', true],
    ['FCAL_0001.png.part', true],
    ['FCAL_0001.png', false],
  ])('%s → %s', (name, temporary) => {
    expect(isTemporaryName(`/d/${name}`)).toBe(temporary);
  });
});
