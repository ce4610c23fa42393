import sharp from 'sharp';
import { simulateDataset, simulatePlot, type SimulatedPlotType } from './dataset';
import type { RootStyleOptions } from './root/look';
import { boxMask, faultMask, type PixelBox, type SimulatedPlot } from './simulated-plot';

const PLOT_TYPES: SimulatedPlotType[] = ['FCAL_occupancy', 'CDC_timing', 'Trigger_bits'];

function root(
  plotType: SimulatedPlotType,
  label: 'Good' | 'Bad' | 'NoData',
  seed: number,
  options: RootStyleOptions = {},
) {
  return simulatePlot(plotType, label, seed, 0, { style: 'root', root: options });
}

async function pixels(plot: SimulatedPlot): Promise<Buffer> {
  const { data, info } = await sharp(plot.png).raw().toBuffer({ resolveWithObject: true });
  expect(info).toMatchObject({ width: plot.width, height: plot.height, channels: 3 });
  return data;
}

function inside(inner: PixelBox, outer: PixelBox): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

describe('the root-style renderer', () => {
  it('draws the same plot from the same seed, and another from another seed', async () => {
    const first = await root('CDC_timing', 'Bad', 42);
    const again = await root('CDC_timing', 'Bad', 42);
    const other = await root('CDC_timing', 'Bad', 43);
    expect(again.png.equals(first.png)).toBe(true);
    expect(again.faultBoxes).toEqual(first.faultBoxes);
    expect(again.frame).toEqual(first.frame);
    expect(other.png.equals(first.png)).toBe(false);
  });

  it.each(PLOT_TYPES)('draws %s as PNGs of the requested size', async (plotType) => {
    for (const size of [
      { width: 400, height: 300 },
      { width: 800, height: 600 },
      { width: 600, height: 600 },
    ]) {
      const plot = await root(plotType, 'Good', 5, { sizes: [size] });
      expect(plot).toMatchObject({ ...size, style: 'root' });
      expect(await sharp(plot.png).metadata()).toMatchObject({ format: 'png', ...size });
    }
  });

  it.each(PLOT_TYPES)('masks every Bad %s inside its frame, and no Good or NoData one', async (plotType) => {
    const plots: SimulatedPlot[] = [];
    for await (const plot of simulateDataset({ plotType, count: 24, seed: 9, style: 'root' }))
      plots.push(plot);
    expect(new Set(plots.map((plot) => plot.label)).size).toBe(3);
    for (const plot of plots) {
      if (plot.label !== 'Bad') {
        expect(plot.faultBoxes).toEqual([]);
        continue;
      }
      expect(faultMask(plot).reduce((sum, value) => sum + value, 0)).toBeGreaterThan(0);
      for (const box of plot.faultBoxes) expect(inside(box, plot.frame.plotArea)).toBe(true);
    }
  });

  it.each(PLOT_TYPES)(
    'changes a %s only where the mask says (and in the stats box) for a subtle fault',
    async (plotType) => {
      for (const seed of [1, 2, 3, 4]) {
        const good = await root(plotType, 'Good', seed, { subtleShare: 1 });
        const bad = await root(plotType, 'Bad', seed, { subtleShare: 1 });
        expect(bad.faultLevel?.severity).toBe('subtle');
        const allowed = boxMask(bad.width, bad.height, [
          ...bad.faultBoxes,
          ...(bad.frame.statsBox ? [bad.frame.statsBox] : []),
        ]);
        const mask = faultMask(bad);
        const [goodPixels, badPixels] = await Promise.all([pixels(good), pixels(bad)]);
        let outside = 0;
        let changedInMask = 0;
        for (let pixel = 0; pixel < bad.width * bad.height; pixel++) {
          const differs = [0, 1, 2].some(
            (channel) => goodPixels[pixel * 3 + channel] !== badPixels[pixel * 3 + channel],
          );
          if (differs && !allowed[pixel]) outside++;
          if (differs && mask[pixel]) changedInMask++;
        }
        expect({ seed, fault: bad.fault, outside }).toEqual({ seed, fault: bad.fault, outside: 0 });
        expect(changedInMask).toBeGreaterThan(0);
      }
    },
  );

  it('moves the timing peak by one and two peak widths in pixels for 1σ and 2σ shifts', async () => {
    const look: RootStyleOptions = {
      sizes: [{ width: 800, height: 600 }],
      logScale: false,
      statsBox: false,
      reference: false,
      faultMix: { 'shifted-peak': 1 },
    };
    for (const seed of [11, 12, 13]) {
      const good = await root('CDC_timing', 'Good', seed, look);
      const { plotArea } = good.frame;
      const pixelsPerNs = (plotArea.width - 2) / 200;
      const nominalSigma = 6 * pixelsPerNs; // each plot's width is within ±10 % of 6 ns
      const reference = await peakColumn(good);
      for (const sigmas of [1, 2]) {
        const shifted = await root('CDC_timing', 'Bad', seed, { ...look, faultMagnitude: sigmas });
        const moved = Math.abs((await peakColumn(shifted)) - reference);
        expect(moved).toBeGreaterThan(sigmas * 0.88 * nominalSigma - 2);
        expect(moved).toBeLessThan(sigmas * 1.12 * nominalSigma + 2);
      }
    }
  });

  it('keeps frame text inside the reported regions, in both styles', async () => {
    const plots = [
      ...(await Promise.all(PLOT_TYPES.map((plotType) => simulatePlot(plotType, 'Bad', 3)))),
      ...(await Promise.all(
        PLOT_TYPES.flatMap((plotType) =>
          [21, 22, 23, 24].map((seed) => root(plotType, 'Bad', seed, { statsBox: seed % 2 === 0 })),
        ),
      )),
    ];
    for (const plot of plots) {
      const { plotArea, title, xAxis, yAxis, statsBox, legend, palette } = plot.frame;
      const regions = [plotArea, title, xAxis, yAxis, statsBox, legend, palette].filter(
        (box): box is PixelBox => box !== null,
      );
      const canvas = { x: 0, y: 0, width: plot.width, height: plot.height };
      for (const box of regions) expect(inside(box, canvas)).toBe(true);
      const covered = boxMask(plot.width, plot.height, regions);
      const data = await pixels(plot);
      const background = [data[0], data[1], data[2]];
      let stray = 0;
      for (let pixel = 0; pixel < plot.width * plot.height; pixel++) {
        if (!covered[pixel] && [0, 1, 2].some((channel) => data[pixel * 3 + channel] !== background[channel]))
          stray++;
      }
      expect({ style: plot.style, plotType: plot.plotType, stray }).toEqual({
        style: plot.style,
        plotType: plot.plotType,
        stray: 0,
      });
    }
  });

  it('draws a dataset in many sizes with the requested fault mix and share of subtle faults', async () => {
    const plots: SimulatedPlot[] = [];
    for await (const plot of simulateDataset({
      plotType: 'FCAL_occupancy',
      count: 30,
      seed: 4,
      style: 'root',
      mix: { Good: 0, Bad: 1, NoData: 0 },
      root: { faultMix: { 'dead-channel': 1, 'inefficient-sector': 1 }, subtleShare: 1 },
    }))
      plots.push(plot);
    expect(new Set(plots.map((plot) => `${plot.width}x${plot.height}`)).size).toBeGreaterThan(2);
    expect(new Set(plots.map((plot) => plot.fault))).toEqual(new Set(['dead-channel', 'inefficient-sector']));
    expect(plots.every((plot) => plot.faultLevel?.severity === 'subtle')).toBe(true);
    const sectors = plots.filter((plot) => plot.fault === 'inefficient-sector');
    expect(sectors.every((plot) => Math.abs((plot.faultLevel?.magnitude ?? 0) - 0.5) <= 0.1)).toBe(true);
  });

  it('refuses options it cannot draw, saying which', async () => {
    await expect(root('CDC_timing', 'Bad', 1, { faultMix: { 'dead-bit': 1 } })).rejects.toThrow(
      /no dead-bit on CDC_timing/,
    );
    await expect(root('CDC_timing', 'Bad', 1, { sizes: [{ width: 10, height: 10 }] })).rejects.toThrow(
      /10 × 10/,
    );
    await expect(root('CDC_timing', 'Bad', 1, { subtleShare: 2 })).rejects.toThrow(/subtleShare 2/);
    await expect(simulatePlot('CDC_timing', 'Bad', 1, 0, { root: {} })).rejects.toThrow(/classic style/);
  });
});

/** The timing peak's column, measured from the image: the centroid of the histogram's height above its background. */
async function peakColumn(plot: SimulatedPlot): Promise<number> {
  const data = await pixels(plot);
  const area = plot.frame.plotArea;
  const heights: number[] = [];
  // From 20 to 180 ns: clear of the tick marks along the left edge.
  const first = Math.round(area.x + 0.1 * area.width);
  const last = Math.round(area.x + 0.9 * area.width);
  for (let x = first; x < last; x++) {
    let top = area.y + area.height - 1;
    for (let y = area.y + 1; y < area.y + area.height - 1; y++) {
      const offset = (y * plot.width + x) * 3;
      if (
        (data[offset] as number) < 200 ||
        (data[offset + 1] as number) < 200 ||
        (data[offset + 2] as number) < 200
      ) {
        top = y;
        break;
      }
    }
    heights.push(area.y + area.height - top);
  }
  const background = [...heights].sort((a, b) => a - b)[Math.floor(heights.length / 2)] as number;
  const peak = Math.max(...heights) - background;
  let weight = 0;
  let sum = 0;
  heights.forEach((height, index) => {
    const above = height - background;
    if (above < 0.2 * peak) return;
    weight += above;
    sum += above * (first + index);
  });
  return sum / weight;
}
