import type { ModelMetricsSummary } from '@hydra/contracts';
import type { Command } from 'commander';
import { apiCommand, apiOf } from '../api/api-options';
import type { CliContext } from '../cli-context';
import { printTable } from './print-table';

interface ModelRow {
  id: string;
  architecture: string;
  status: string;
  production: boolean;
  summary: ModelMetricsSummary | null;
  trainingImages: number | null;
  trainedBy: string;
  createdAt: string;
}

/** `0.953 [0.912, 0.978]`: a figure with its 95 % interval over the test images, where the model has one. */
function figure(value?: number | null, interval?: { lower: number; upper: number } | null): string {
  if (value === undefined || value === null) return '–';
  return interval
    ? `${value.toFixed(3)} [${interval.lower.toFixed(3)}, ${interval.upper.toFixed(3)}]`
    : value.toFixed(3);
}

/** `hydra models`, `hydra promote`, `hydra rollback`: the model library from the terminal. */
export function registerModelCommands(program: Command, context: CliContext): void {
  apiCommand(program, 'models', context)
    .description("list a plot type's models, the production one marked with *")
    .argument('<plotType>')
    .action(async (plotType: string, _options: unknown, command: Command) => {
      const models = await apiOf(command, context).get<ModelRow[]>(`/plot-types/${plotType}/models`);
      if (!models.length)
        return context.print(`${plotType} has no models yet: train one with \`hydra train ${plotType}\``);
      printTable(
        context,
        [
          '',
          'model',
          'architecture',
          'status',
          'accuracy (95 %)',
          'Bad recall (95 %)',
          'images',
          'trained by',
          'when',
        ],
        models.map((model) => [
          model.production ? '*' : '',
          model.id,
          model.architecture,
          model.status,
          figure(model.summary?.accuracy, model.summary?.accuracyInterval),
          figure(model.summary?.badRecall, model.summary?.badRecallInterval),
          String(model.trainingImages ?? '–'),
          model.trainedBy,
          model.createdAt,
        ]),
      );
    });

  apiCommand(program, 'promote', context)
    .description('put a validated candidate model in production')
    .argument('<modelId>')
    .action(async (modelId: string, _options: unknown, command: Command) => {
      const model = await apiOf(command, context).post<ModelRow & { plotType: string }>(
        `/models/${modelId}/promote`,
      );
      context.print(`model ${model.id} is in production for ${model.plotType}`);
    });

  apiCommand(program, 'rollback', context)
    .description('go back to the model in production before the current one (or to --to)')
    .argument('<plotType>')
    .option('--to <modelId>', 'this model instead of the previous one')
    .action(async (plotType: string, options: { to?: string }, command: Command) => {
      const model = await apiOf(command, context).post<ModelRow>(
        `/plot-types/${plotType}/rollback`,
        options.to ? { modelId: options.to } : {},
      );
      context.print(`model ${model.id} is back in production for ${plotType}`);
    });
}
