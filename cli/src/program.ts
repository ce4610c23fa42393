import { Command } from 'commander';
import type { CliContext } from './cli-context';
import { registerMigrateCommand } from './commands/migrate.command';

export function createProgram(context: CliContext): Command {
  const program = new Command('hydra').description(
    'Hydra: classifies monitoring plots and keeps the shift crew in the loop',
  );
  registerMigrateCommand(program, context);
  return program;
}
