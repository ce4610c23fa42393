import { BUNDLED_BASE, initialiseBackend, pretrainBase, saveBaseWeights } from '@hydra/ml';
import { availableParallelism } from 'node:os';
import { type Command, Option } from 'commander';
import type { CliContext } from '../cli-context';
import { positiveInteger } from './whole-number';

interface PretrainFlags {
  count: number;
  epochs: number;
  patience: number;
  seed: number;
  threads: '1' | '2';
  out: string;
}

/**
 * `hydra pretrain`: remakes the base every new hydra-cnn starts from (libs/ml/base), from the
 * simulator's plots. 38 minutes with the defaults on a two-core machine on one thread (`--threads 1`).
 */
export function registerPretrainCommand(program: Command, context: CliContext): void {
  program
    .command('pretrain')
    .description(
      "train the base model plot types start from, on the simulator's plots of every type, style and fault",
    )
    .option('--count <n>', 'plots per plot type and drawing style', positiveInteger, 1000)
    .option('--epochs <n>', 'at most this many epochs', positiveInteger, 60)
    .option(
      '--patience <n>',
      'stop after this many epochs without a better validation loss',
      positiveInteger,
      10,
    )
    .option('--seed <n>', 'seeds the split, the initial weights and the sampling', positiveInteger, 1)
    .addOption(
      new Option('--threads <n>', 'threads per training step (both cores by default where there are two)')
        .choices(['1', '2'])
        .default(availableParallelism() > 1 ? '2' : '1'),
    )
    .option('--out <path>', 'writes <path>.json and <path>.bin', BUNDLED_BASE)
    .action(async (flags: PretrainFlags) => {
      context.error(`backend: ${await initialiseBackend()}`);
      const { model, labels, provenance } = await pretrainBase({
        ...flags,
        threads: Number(flags.threads) as 1 | 2,
        onDrawn: (group, drawn, total) => {
          if (drawn === total) context.error(`drew ${total} ${group} plots`);
        },
        onEpoch: (epoch) =>
          context.error(
            `epoch ${epoch.epoch + 1}/${epoch.epochs}: loss ${epoch.loss.toFixed(3)}, validation loss ${epoch.valLoss.toFixed(3)}, accuracy ${(100 * epoch.valAccuracy).toFixed(1)} %, ${Math.round(epoch.etaS)} s left at most`,
          ),
      });
      await saveBaseWeights(model, labels, flags.out, provenance);
      model.dispose();
      context.print(JSON.stringify({ written: `${flags.out}.json`, ...provenance }, null, 2));
    });
}
