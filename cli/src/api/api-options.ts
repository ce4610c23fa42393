import { Command, Option } from 'commander';
import type { CliContext } from '../cli-context';
import { HydraApi } from './hydra-api';

/** Adds the options every API command shares: where Hydra is and who is asking. */
export function apiCommand(parent: Command, name: string, context: CliContext): Command {
  return parent
    .command(name)
    .addOption(
      new Option('--url <url>', "labeler-api's address").env('HYDRA_URL').default('http://127.0.0.1:8080'),
    )
    .addOption(new Option('--token <token>', 'an API token (hydra_…)').env('HYDRA_TOKEN'))
    .addOption(new Option('--user <name>', 'log in as this user instead of a token').env('HYDRA_USER'))
    .addHelpText('after', `\nThe password for --user comes from HYDRA_PASSWORD.`)
    .hook('preAction', (command) => {
      // Commander reads `.env()` from process.env; tests pass their own environment.
      for (const [option, variable] of [
        ['url', 'HYDRA_URL'],
        ['token', 'HYDRA_TOKEN'],
        ['user', 'HYDRA_USER'],
      ] as const)
        if (context.env[variable] && command.getOptionValueSource(option) !== 'cli')
          command.setOptionValue(option, context.env[variable]);
    });
}

/** The API client for the options of `command`. */
export function apiOf(command: Command, context: CliContext): HydraApi {
  const options = command.opts<{ url: string; token?: string; user?: string }>();
  return new HydraApi({
    url: options.url.replace(/\/+$/, ''),
    token: options.token,
    user: options.user,
    password: context.env.HYDRA_PASSWORD,
  });
}
