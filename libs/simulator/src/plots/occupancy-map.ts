import { classicFrame, frameSvg, linearTicks, renderPng } from '../canvas';
import { birdColour } from '../palette';
import type { Random } from '../random';
import type { FaultKind, PixelBox, PlotRequest, SimulatedPlot } from '../simulated-plot';

/** A segmented detector face: 32 × 32 channels, boards of 4 × 4 channels, four sectors. */
const CHANNELS = 32;
const BOARD = 4;
const AREA: PixelBox = { x: 50, y: 30, width: 280, height: 230 };
const CELL_WIDTH = AREA.width / CHANNELS;
const CELL_HEIGHT = AREA.height / CHANNELS;

const BAD_FAULTS: FaultKind[] = ['dead-channel', 'dead-board', 'dead-sector', 'hot-channel', 'hot-board'];

/** Hits per channel: falls off with distance from the beam line, Poisson noise on top. */
export async function occupancyMap(random: Random, { label, drift }: PlotRequest): Promise<SimulatedPlot> {
  const lowStatistics = label === 'NoData' && random.next() < 0.6;
  const fault: FaultKind | null =
    label === 'Bad'
      ? random.pick(BAD_FAULTS)
      : label === 'NoData'
        ? lowStatistics
          ? 'low-statistics'
          : 'empty'
        : null;
  const scale =
    fault === 'low-statistics'
      ? random.between(0.05, 0.4)
      : fault === 'empty'
        ? 0
        : random.between(200, 400) * (1 + 0.15 * drift);
  const counts = new Float64Array(CHANNELS * CHANNELS);
  for (let row = 0; row < CHANNELS; row++) {
    for (let column = 0; column < CHANNELS; column++) {
      const radius = Math.hypot(column - 15.5, row - 15.5) / 16;
      const expected = scale * Math.exp(-1.8 * radius * radius) * (radius < 0.12 ? 0.1 : 1); // beam hole
      counts[row * CHANNELS + column] = random.poisson(expected);
    }
  }

  const faultCells = label === 'Bad' ? applyFault(random, fault as FaultKind, counts) : [];
  const maximum = Math.max(1, ...counts);
  const cells: string[] = [];
  for (let row = 0; row < CHANNELS; row++) {
    for (let column = 0; column < CHANNELS; column++) {
      const value = counts[row * CHANNELS + column] as number;
      if (value <= 0) continue; // ROOT leaves empty bins white
      const colour = birdColour(Math.log1p(value) / Math.log1p(maximum));
      const x = AREA.x + column * CELL_WIDTH;
      const y = AREA.y + (CHANNELS - 1 - row) * CELL_HEIGHT;
      cells.push(
        `<rect x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${(CELL_WIDTH + 0.3).toFixed(2)}" height="${(CELL_HEIGHT + 0.3).toFixed(2)}" fill="${colour}"/>`,
      );
    }
  }
  const colourBar = Array.from({ length: 50 }, (_, index) => {
    const y = AREA.y + AREA.height - ((index + 1) * AREA.height) / 50;
    return `<rect x="340" y="${y.toFixed(2)}" width="12" height="${(AREA.height / 50 + 0.3).toFixed(2)}" fill="${birdColour(index / 49)}"/>`;
  }).join('');
  const ticks = linearTicks(0, CHANNELS, 4);
  const body =
    cells.join('') +
    colourBar +
    `<text x="356" y="${AREA.y + 8}" font-family="DejaVu Sans" font-size="8">${Math.round(maximum)}</text>` +
    frameSvg(AREA, 'FCAL occupancy', 'column', 'row', ticks, ticks);
  return {
    plotType: 'FCAL_occupancy',
    style: 'classic',
    label,
    fault,
    png: await renderPng(body),
    width: 400,
    height: 300,
    faultBoxes: faultCells.map(([row, column, rows, columns]) => ({
      x: AREA.x + column * CELL_WIDTH,
      y: AREA.y + (CHANNELS - row - rows) * CELL_HEIGHT,
      width: columns * CELL_WIDTH,
      height: rows * CELL_HEIGHT,
    })),
    frame: classicFrame(AREA, { x: 336, y: AREA.y - 2, width: 400 - 336, height: AREA.height + 4 }),
  };
}

/** Changes `counts` in place; returns the affected blocks as [row, column, rows, columns]. */
function applyFault(
  random: Random,
  fault: FaultKind,
  counts: Float64Array,
): [number, number, number, number][] {
  // Faults sit away from the beam hole, where they would be invisible anyway.
  const awayFromCentre = (size: number) => {
    for (;;) {
      const row = random.integer(0, CHANNELS / size) * size;
      const column = random.integer(0, CHANNELS / size) * size;
      if (
        Math.hypot(row + size / 2 - 16, column + size / 2 - 16) > 6 &&
        Math.hypot(row + size / 2 - 16, column + size / 2 - 16) < 13
      )
        return [row, column];
    }
  };
  const block = (
    row: number,
    column: number,
    rows: number,
    columns: number,
    factor: number,
  ): [number, number, number, number] => {
    for (let r = row; r < row + rows; r++) {
      for (let c = column; c < column + columns; c++)
        counts[r * CHANNELS + c] = (counts[r * CHANNELS + c] as number) * factor;
    }
    return [row, column, rows, columns];
  };
  switch (fault) {
    case 'dead-channel': {
      const [row, column] = awayFromCentre(2) as [number, number];
      return [block(row, column, 2, 2, 0)]; // a channel pair: one readout connector
    }
    case 'dead-board': {
      const [row, column] = awayFromCentre(BOARD) as [number, number];
      return [block(row, column, BOARD, BOARD, 0)];
    }
    case 'dead-sector': {
      const row = random.pick([0, 16]);
      const column = random.pick([0, 16]);
      return [block(row, column, 16, 16, 0)];
    }
    case 'hot-channel': {
      const [row, column] = awayFromCentre(2) as [number, number];
      return [block(row, column, 2, 2, 25)];
    }
    default: {
      const [row, column] = awayFromCentre(BOARD) as [number, number];
      return [block(row, column, BOARD, BOARD, 12)];
    }
  }
}
