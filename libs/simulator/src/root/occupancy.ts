import { paletteColour } from '../palette';
import { Random } from '../random';
import type { FaultKind, PixelBox, PlotRequest, SimulatedPlot } from '../simulated-plot';
import { binEdge, layoutFrame, renderRootPng } from './frame';
import { pickRootFault } from './faults';
import { formatStat, poissonCounts } from './histogram';
import { intersects, textSizesFor } from './layout';
import { drawLook, type RootStyleOptions } from './look';
import { paletteSvg, paletteWidth, statsBoxPlace, statsBoxSvg } from './overlays';
import { fractionAlong, type Scale, scaleTicks } from './scale';

/** The classic renderer's detector face: 32 × 32 channels, boards of 4 × 4, four sectors. */
const CHANNELS = 32;
const BOARD = 4;
const TITLES = ['FCAL occupancy', 'FCAL hit occupancy', 'FCAL occupancy, run %'];
const STATS_NAMES = ['Entries', 'Mean x', 'Mean y', 'Std Dev x', 'Std Dev y'];

/** A block of channels: [row, column, rows, columns]. */
type Block = [number, number, number, number];

/** Hits per channel in ROOT's COLZ look; a sector at half efficiency, one dead or hot channel, dead boards. */
export async function rootOccupancyMap(
  seed: number,
  { label, drift }: PlotRequest,
  options: RootStyleOptions,
): Promise<SimulatedPlot> {
  const random = new Random(seed);
  const look = drawLook(random, options, true);
  const title = random.pick(TITLES).replace('%', String(look.runNumber));
  const goodScale = random.between(200, 400) * (1 + 0.15 * drift);
  const countSeed = random.integer(0, 2 ** 32);

  const faultRandom = new Random(seed ^ 0x5bd1e995);
  const { fault, level } = pickRootFault(faultRandom, 'FCAL_occupancy', label, options);
  const scale =
    fault === 'empty' ? 0 : fault === 'low-statistics' ? faultRandom.between(0.05, 0.4) : goodScale;
  const expectedGood = Array.from({ length: CHANNELS * CHANNELS }, (_, index) => {
    const radius = Math.hypot((index % CHANNELS) - 15.5, Math.floor(index / CHANNELS) - 15.5) / 16;
    return scale * Math.exp(-1.8 * radius * radius) * (radius < 0.12 ? 0.1 : 1); // beam hole
  });

  const top = Math.max(...expectedGood);
  const zScale: Scale = look.logScale
    ? { low: 1, high: Math.max(10, 3 * top), log: true }
    : { low: 0, high: Math.max(1, 1.3 * top + 3 * Math.sqrt(top) + 1), log: false };
  const axis: Scale = { low: 0, high: CHANNELS, log: false };
  const frame = layoutFrame(
    {
      size: look.size,
      title,
      xTitle: 'column',
      yTitle: 'row',
      xTicks: scaleTicks(axis),
      yScale: axis,
      rightExtra: paletteWidth(look.size.width, zScale, textSizesFor(look.size).label),
    },
    look.background,
  );
  const cellBox = ([row, column, rows, columns]: Block): PixelBox => {
    const bottom = frame.area.y + frame.area.height;
    const left = binEdge(frame.area.x, frame.area.width, CHANNELS, column);
    const upper = bottom - Math.round(((row + rows) * frame.area.height) / CHANNELS);
    return {
      x: left,
      y: upper,
      width: binEdge(frame.area.x, frame.area.width, CHANNELS, column + columns) - left,
      height: bottom - Math.round((row * frame.area.height) / CHANNELS) - upper,
    };
  };
  const statsBox = look.statsBox ? statsBoxPlace(frame, 'hOccupancy', STATS_NAMES, true) : null;

  const block =
    label === 'Bad'
      ? faultBlock(faultRandom, fault as FaultKind, level?.severity === 'subtle', (candidate) =>
          statsBox ? intersects(cellBox(candidate), statsBox) : false,
        )
      : null;
  const expected = expectedGood.map((value, index) => {
    const row = Math.floor(index / CHANNELS);
    const column = index % CHANNELS;
    const inside =
      block &&
      row >= block[0] &&
      row < block[0] + block[2] &&
      column >= block[1] &&
      column < block[1] + block[3];
    return inside ? value * (level?.magnitude ?? 1) : value;
  });
  const counts = poissonCounts(countSeed, expected);

  const cells: string[] = [];
  counts.forEach((count, index) => {
    if (count <= 0) return; // ROOT leaves empty bins white
    const box = cellBox([Math.floor(index / CHANNELS), index % CHANNELS, 1, 1]);
    const colour = paletteColour(look.palette, Math.min(1, Math.max(0, fractionAlong(zScale, count))));
    cells.push(
      `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" fill="${colour}"/>`,
    );
  });
  const palette = paletteSvg(frame, zScale, look.palette);
  return {
    plotType: 'FCAL_occupancy',
    style: 'root',
    label,
    fault,
    ...(level ? { faultLevel: level } : {}),
    png: await renderRootPng(
      frame,
      cells.join(''),
      palette.svg + (statsBox ? statsBoxSvg(frame, statsBox, 'hOccupancy', stats2D(counts)) : ''),
    ),
    width: look.size.width,
    height: look.size.height,
    faultBoxes: block ? [cellBox(block)] : [],
    frame: { ...frame.regions, statsBox, legend: null, palette: palette.box },
  };
}

/** The channels a fault hits: away from the beam hole and from where `hidden` says an overlay covers them. */
function faultBlock(
  random: Random,
  fault: FaultKind,
  subtle: boolean,
  hidden: (block: Block) => boolean,
): Block {
  if (fault === 'inefficient-sector' || fault === 'dead-sector') {
    return [random.pick([0, 16]), random.pick([0, 16]), 16, 16];
  }
  const size = fault === 'dead-board' || fault === 'hot-board' ? BOARD : subtle ? 1 : 2;
  let block: Block = [0, 0, size, size];
  for (let attempt = 0; attempt < 1000; attempt++) {
    const row = random.integer(0, CHANNELS / size) * size;
    const column = random.integer(0, CHANNELS / size) * size;
    const distance = Math.hypot(row + size / 2 - 16, column + size / 2 - 16);
    block = [row, column, size, size];
    if (distance > 6 && distance < 13 && !hidden(block)) break;
  }
  return block;
}

/** Entries, means and standard deviations along both axes, as ROOT's TH2 stats box shows them. */
function stats2D(counts: readonly number[]) {
  const entries = counts.reduce((sum, count) => sum + count, 0);
  const moments = (coordinate: (index: number) => number) => {
    if (!entries) return [0, 0];
    const mean = counts.reduce((sum, count, index) => sum + count * coordinate(index), 0) / entries;
    const variance =
      counts.reduce((sum, count, index) => sum + count * (coordinate(index) - mean) ** 2, 0) / entries;
    return [mean, Math.sqrt(variance)];
  };
  const [meanX, spreadX] = moments((index) => (index % CHANNELS) + 0.5) as [number, number];
  const [meanY, spreadY] = moments((index) => Math.floor(index / CHANNELS) + 0.5) as [number, number];
  return [
    { name: 'Entries', value: String(entries) },
    { name: 'Mean x', value: formatStat(meanX) },
    { name: 'Mean y', value: formatStat(meanY) },
    { name: 'Std Dev x', value: formatStat(spreadX) },
    { name: 'Std Dev y', value: formatStat(spreadY) },
  ];
}
