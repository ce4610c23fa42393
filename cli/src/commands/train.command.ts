import { modelArchitecture, trainingOptions } from '@hydra/contracts';
import { type Command, Option } from 'commander';
import { apiCommand, apiOf } from '../api/api-options';
import type { CliContext } from '../cli-context';
import { followTraining } from './training-progress';
import { positiveInteger } from './whole-number';

/** `hydra train <plotType>`: push-button training, optionally followed to the end with a progress bar. */
export function registerTrainCommand(program: Command, context: CliContext): void {
  apiCommand(program, 'train', context)
    .description("train a new candidate model for a plot type from its experts' labels")
    .argument('<plotType>', 'the plot type, e.g. FCAL_occupancy')
    .addOption(new Option('--architecture <name>', 'the model').choices(modelArchitecture.options))
    .option('--epochs <n>', 'at most this many epochs', positiveInteger)
    .option('--parent <modelId>', 'fine-tune this model instead of training a new one')
    .addOption(
      new Option(
        '--start-from <weights>',
        "a new hydra-cnn's first weights: Hydra's base (pretrained on simulated plots) or random ones",
      ).choices(trainingOptions.shape.startFrom.unwrap().options),
    )
    .addOption(
      new Option(
        '--median-residual <window>',
        "the side of the median-residual window, which shows the model an isolated hot or dead cell; 0: off. Unset (with --good-reference unset too): the plot type's, else a new hydra-cnn trains one model on the image alone and one with its Good reference and keeps the lower validation loss",
      ).choices(['0', '3', '5', '7', '9']),
    )
    .addOption(
      new Option(
        '--good-reference <on|off>',
        'compare each plot with the Good training plots most like it, as more input channels (random first weights). Unset: as --median-residual says',
      ).choices(['on', 'off']),
    )
    .option('--wait', 'follow the job to its end with a progress bar')
    .action(
      async (
        plotType: string,
        options: {
          architecture?: string;
          epochs?: number;
          parent?: string;
          startFrom?: string;
          medianResidual?: string;
          goodReference?: string;
          wait?: boolean;
        },
        command: Command,
      ) => {
        const api = apiOf(command, context);
        const job = await api.post<{ id: string; status: string }>(`/plot-types/${plotType}/training`, {
          options: {
            ...(options.architecture && { architecture: options.architecture }),
            ...(options.epochs && { epochs: options.epochs }),
            ...(options.parent && { parentModelId: options.parent }),
            ...(options.startFrom && { startFrom: options.startFrom }),
            ...(options.medianResidual && { medianResidual: Number(options.medianResidual) }),
            ...(options.goodReference && { goodReference: options.goodReference === 'on' }),
          },
        });
        context.print(`training job ${job.id} queued for ${plotType}`);
        if (options.wait) await followTraining(api, job.id, context);
      },
    );
}
