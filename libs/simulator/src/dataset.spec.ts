import sharp from 'sharp';
import { simulateDataset, simulatePlot, type SimulatedPlotType } from './dataset';
import { faultMask, type SimulatedPlot } from './simulated-plot';

// Some tests render 80 plots: seconds on an idle machine, more than Jest's 5 s while CI runs other suites.
jest.setTimeout(30_000);

async function collect(plotType: SimulatedPlotType, count: number, seed: number): Promise<SimulatedPlot[]> {
  const plots: SimulatedPlot[] = [];
  for await (const plot of simulateDataset({ plotType, count, seed })) plots.push(plot);
  return plots;
}

/** Mean RGB of the masked pixels. */
async function meanColourInside(plot: SimulatedPlot): Promise<[number, number, number]> {
  const { data } = await sharp(plot.png).raw().toBuffer({ resolveWithObject: true });
  const mask = faultMask(plot);
  const sum = [0, 0, 0];
  let pixels = 0;
  mask.forEach((inside, index) => {
    if (!inside) return;
    for (let channel = 0; channel < 3; channel++)
      sum[channel] = (sum[channel] as number) + (data[index * 3 + channel] as number);
    pixels++;
  });
  return sum.map((value) => value / pixels) as [number, number, number];
}

describe('simulator', () => {
  it('draws the same plot from the same seed, and another from another seed', async () => {
    const first = await simulatePlot('FCAL_occupancy', 'Bad', 42);
    const again = await simulatePlot('FCAL_occupancy', 'Bad', 42);
    const other = await simulatePlot('FCAL_occupancy', 'Bad', 43);
    expect(again.png.equals(first.png)).toBe(true);
    expect(again.faultBoxes).toEqual(first.faultBoxes);
    expect(other.png.equals(first.png)).toBe(false);
  });

  it.each(['FCAL_occupancy', 'CDC_timing', 'Trigger_bits'] as const)(
    'makes %s PNGs with labels in the requested mix',
    async (plotType) => {
      const plots = await collect(plotType, 60, 7);
      for (const plot of plots.slice(0, 3)) {
        expect(await sharp(plot.png).metadata()).toMatchObject({ format: 'png', width: 400, height: 300 });
      }
      const counts = { Good: 0, Bad: 0, NoData: 0 };
      for (const plot of plots) counts[plot.label]++;
      expect(counts.Good).toBeGreaterThan(15);
      expect(counts.Bad).toBeGreaterThan(10);
      expect(counts.NoData).toBeGreaterThan(2);
      expect(
        plots
          .filter((plot) => plot.label === 'Good')
          .every((plot) => plot.fault === null && plot.faultBoxes.length === 0),
      ).toBe(true);
      expect(plots.filter((plot) => plot.label !== 'Good').every((plot) => plot.fault !== null)).toBe(true);
    },
  );

  it('gives every localised fault a mask inside the plot', async () => {
    const plots = [
      ...(await collect('FCAL_occupancy', 40, 3)),
      ...(await collect('Trigger_bits', 40, 3)),
      ...(await collect('CDC_timing', 40, 3)),
    ];
    const bad = plots.filter((plot) => plot.label === 'Bad');
    expect(bad.length).toBeGreaterThan(20);
    for (const plot of bad) {
      const masked = faultMask(plot).reduce((sum, value) => sum + value, 0);
      expect(masked).toBeGreaterThan(0);
      expect(masked).toBeLessThan((plot.width * plot.height) / 2);
    }
  });

  it('draws dead channels white and hot ones in the hottest colour, where the mask says', async () => {
    const plots = await collect('FCAL_occupancy', 80, 11);
    const dead = plots.filter((plot) => plot.fault?.startsWith('dead'));
    const hot = plots.filter((plot) => plot.fault?.startsWith('hot'));
    expect(dead.length).toBeGreaterThan(0);
    expect(hot.length).toBeGreaterThan(0);
    for (const plot of dead) expect(Math.min(...(await meanColourInside(plot)))).toBeGreaterThan(220); // white, but for the neighbours' anti-aliased edges
    for (const plot of hot) {
      const [red, green, blue] = await meanColourInside(plot);
      expect(red).toBeGreaterThan(200); // yellow: the top of the palette
      expect(green).toBeGreaterThan(200);
      expect(blue).toBeLessThan(110);
    }
  });
});
