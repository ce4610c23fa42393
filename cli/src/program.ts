import { Command } from 'commander';
import type { CliContext } from './cli-context';
import { registerFeedCommand } from './commands/feed.command';
import { registerMigrateCommand } from './commands/migrate.command';
import { registerModelCommands } from './commands/models.command';
import { registerPretrainCommand } from './commands/pretrain.command';
import { registerStatusCommand } from './commands/status.command';
import { registerTokenCommands } from './commands/token.command';
import { registerTrainCommand } from './commands/train.command';
import { registerUpCommand } from './commands/up.command';
import { registerUserCommands } from './commands/users.command';

/** The `hydra` command; usage errors throw (exit code 2 in main) instead of exiting, so tests can run it. */
export function createProgram(context: CliContext): Command {
  const program = new Command('hydra')
    .description('Hydra: classifies monitoring plots and keeps the shift crew in the loop')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => context.print(text.trimEnd()),
      writeErr: (text) => context.error(text.trimEnd()),
    })
    .exitOverride();
  registerMigrateCommand(program, context);
  registerFeedCommand(program, context);
  registerTrainCommand(program, context);
  registerModelCommands(program, context);
  registerStatusCommand(program, context);
  registerUserCommands(program, context);
  registerTokenCommands(program, context);
  registerUpCommand(program, context);
  registerPretrainCommand(program, context);
  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());
  return program;
}
