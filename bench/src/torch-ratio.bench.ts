/**
 * Training speed against PyTorch, side by side: the same hydra-cnn, input, batch and optimizer (Adam),
 * in interleaved rounds (Hydra, PyTorch, Hydra, …) so that both see the same load on the machine.
 * PyTorch runs bench/torch/train_speed.py under Debian's python3-torch.
 *   npm run bench:torch-ratio -- --rounds 5 --steps 10
 */
import { hydraCnn, initialiseBackend } from '@hydra/ml';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { time, trainingStep } from './model-timing';
import { summarize } from './stats';

const options = new Command('torch-ratio-bench')
  .option('--rounds <n>', 'interleaved rounds', (value) => Number(value), 5)
  .option('--steps <n>', 'timed training steps per side and round', (value) => Number(value), 10)
  .option('--batch <n>', 'images per step', (value) => Number(value), 16)
  .option('--size <HxW>', 'input height × width', '72x96')
  .option(
    '--torch-threads <n>',
    "PyTorch's threads (0: its default, every core)",
    (value) => Number(value),
    0,
  )
  .option('--python <path>', 'a Python with torch', '/usr/bin/python3')
  .parse()
  .opts<{
    rounds: number;
    steps: number;
    batch: number;
    size: string;
    torchThreads: number;
    python: string;
  }>();

/** PyTorch in a child process that stays warm between rounds and answers "steps N" with each step's ms. */
async function startTorch(height: number, width: number) {
  const child = spawn(
    options.python,
    [
      join(__dirname, '../torch/train_speed.py'),
      ...['--batch', String(options.batch), '--height', String(height), '--width', String(width)],
      ...['--threads', String(options.torchThreads)],
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`${options.python} train_speed.py ended (is python3-torch installed?)`);
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const ready = await next();
  return {
    description: `PyTorch ${String(ready['torch'])} on ${String(ready['threads'])} threads`,
    steps: async (count: number) => {
      child.stdin.write(`steps ${count}\n`);
      return (await next())['stepMs'] as number[];
    },
    stop: () => child.stdin.end(),
  };
}

async function main() {
  const [height, width] = options.size.split('x').map(Number) as [number, number];
  const backend = await initialiseBackend();
  const model = hydraCnn({ input: { height, width, channels: 3 }, classes: 3, seed: 1 });
  const hydra = trainingStep(model, options.batch);
  const torch = await startTorch(height, width);
  await time('hydra warm-up', hydra.step, 1);
  const perImage = (stepMs: number) => stepMs / options.batch;
  const rows = [];
  for (let round = 1; round <= options.rounds; round++) {
    const hydraMs: number[] = [];
    for (let step = 0; step < options.steps; step++) {
      const started = process.hrtime.bigint();
      await hydra.step();
      hydraMs.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const torchMs = await torch.steps(options.steps);
    const hydraMedian = perImage(summarize(hydraMs).p50);
    const torchMedian = perImage(summarize(torchMs).p50);
    rows.push({
      round,
      'hydra ms/img': Number(hydraMedian.toFixed(2)),
      'pytorch ms/img': Number(torchMedian.toFixed(2)),
      'hydra / pytorch': Number((hydraMedian / torchMedian).toFixed(2)),
    });
  }
  torch.stop();
  hydra.dispose();
  model.dispose();
  const ratios = rows.map((row) => row['hydra / pytorch']);
  console.log(
    `\nhydra-cnn ${height}×${width}, batch ${options.batch}, Adam; medians of ${options.steps} steps per round.` +
      ` Hydra: tfjs ${backend}; ${torch.description}`,
  );
  console.table(rows);
  console.log(
    `ratio hydra / pytorch: median ${summarize(ratios).p50}, min ${Math.min(...ratios)}, max ${Math.max(...ratios)}`,
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
