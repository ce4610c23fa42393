/**
 * Training speed against PyTorch, side by side: the same hydra-cnn, input, batch and optimizer (Adam),
 * in interleaved rounds (Hydra, PyTorch, Hydra, …) so that both see the same load on the machine.
 * Hydra's steps are the trainer's own (trainModel, no augmentation) on one thread and on two
 * (TRAINER_THREADS); PyTorch runs bench/torch/train_speed.py under Debian's python3-torch.
 *   npm run bench:torch-ratio -- --rounds 5 --steps 10
 */
import { hydraCnn, initialiseBackend, trainModel } from '@hydra/ml';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
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

/** Milliseconds of each of `steps` training steps of the trainer's loop on `threads` threads (after one untimed). */
async function hydraSteps(height: number, width: number, threads: 1 | 2): Promise<number[]> {
  const model = hydraCnn({ input: { height, width, channels: 3 }, classes: 3, seed: 1 });
  const pixels = height * width * 3;
  const count = (options.steps + 1) * options.batch;
  const inputs = Array.from({ length: count }, (_, index) =>
    Float32Array.from({ length: pixels }, (_, position) => ((index * 31 + position * 7) % 97) / 97),
  );
  const labels = inputs.map((_, index) => index % 3);
  const ends: bigint[] = [];
  try {
    await trainModel(
      model,
      { inputs, labels },
      { inputs: inputs.slice(0, 1), labels: labels.slice(0, 1) },
      {
        epochs: 1,
        batchSize: options.batch,
        learningRate: 1e-3,
        optimizer: 'adam',
        balancing: 'weighted-loss',
        threads,
        onBatch: () => void ends.push(process.hrtime.bigint()),
      },
    );
  } finally {
    model.dispose();
  }
  return ends.slice(1).map((end, index) => Number(end - (ends[index] as bigint)) / 1e6);
}

async function main() {
  const [height, width] = options.size.split('x').map(Number) as [number, number];
  const backend = await initialiseBackend();
  const torch = await startTorch(height, width);
  const perImage = (stepMs: number[]) => summarize(stepMs).p50 / options.batch;
  const rows = [];
  for (let round = 1; round <= options.rounds; round++) {
    const one = perImage(await hydraSteps(height, width, 1));
    const two = perImage(await hydraSteps(height, width, 2));
    const pytorch = perImage(await torch.steps(options.steps));
    rows.push({
      round,
      'hydra 1 thread ms/img': Number(one.toFixed(2)),
      'hydra 2 threads ms/img': Number(two.toFixed(2)),
      'pytorch ms/img': Number(pytorch.toFixed(2)),
      'hydra 1 / pytorch': Number((one / pytorch).toFixed(2)),
      'hydra 2 / pytorch': Number((two / pytorch).toFixed(2)),
    });
  }
  torch.stop();
  console.log(
    `\nhydra-cnn ${height}×${width}, batch ${options.batch}, Adam; medians of ${options.steps} steps per round.` +
      ` Hydra: the trainer's loop on tfjs ${backend}; ${torch.description}`,
  );
  console.table(rows);
  for (const side of ['hydra 1 / pytorch', 'hydra 2 / pytorch'] as const) {
    const ratios = rows.map((row) => row[side]);
    console.log(
      `ratio ${side}: median ${summarize(ratios).p50}, min ${Math.min(...ratios)}, max ${Math.max(...ratios)}`,
    );
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
