// Writes simulator plots as PNGs for bench/torch/pretrain.py: every plot type in both styles (the
// root style with its default choices, gross and subtle faults), half Good, half Bad, with
// <out>/labels.csv (file,plottype,style,label,fault). Needs the built libs (libs/simulator/dist).
//
//   flock /tmp/hydra-heavy.lock node bench/torch/export_simulator.mjs --out /tmp/hydra-pretrain --count 1000
import { simulatePlot, simulatedPlotTypes } from '@hydra/simulator';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '/tmp/hydra-pretrain' },
    count: { type: 'string', default: '1000' },
    // Far from accuracy.bench.ts' seeds (1,000,000 and 2,000,000 onwards), so no plot is shared.
    'first-seed': { type: 'string', default: '5000000' },
  },
});
const count = Number(values.count);
const firstSeed = Number(values['first-seed']);
const rows = ['file,plottype,style,label,fault'];
const started = performance.now();
for (const plotType of Object.keys(simulatedPlotTypes)) {
  for (const style of ['classic', 'root']) {
    mkdirSync(join(values.out, plotType, style), { recursive: true });
    for (let index = 0; index < count; index++) {
      const label = index % 2 === 0 ? 'Good' : 'Bad';
      const plot = await simulatePlot(plotType, label, firstSeed + index, index / count, { style });
      const file = join(plotType, style, `${String(index).padStart(5, '0')}.png`);
      writeFileSync(join(values.out, file), plot.png);
      rows.push([file, plotType, style, label, plot.fault ?? ''].join(','));
    }
    console.log(
      `${plotType} ${style}: ${count} plots, ${((performance.now() - started) / 1000).toFixed(1)} s in all`,
    );
  }
}
writeFileSync(join(values.out, 'labels.csv'), `${rows.join('\n')}\n`);
