import { type TokenCreatedResponse, userRole } from '@hydra/contracts';
import { type Command, Option } from 'commander';
import { apiCommand, apiOf } from '../api/api-options';
import type { CliContext } from '../cli-context';

/** `hydra token create`: an API token for a machine client (admins). */
export function registerTokenCommands(program: Command, context: CliContext): void {
  const token = program.command('token').description('API tokens for machine clients (admins only)');
  apiCommand(token, 'create', context)
    .description('make a token; it is printed once, keep it in a secret store')
    .argument('<name>', 'what uses it, e.g. daq-bridge')
    .addOption(new Option('--role <role>', 'what it may do').choices(userRole.options).makeOptionMandatory())
    .option('--account <user>', 'the account it acts as (default: one named after the token)')
    .option('--expires <iso>', 'when it stops working, e.g. 2027-06-30T00:00:00Z')
    .action(
      async (
        name: string,
        options: { role: string; account?: string; expires?: string },
        command: Command,
      ) => {
        const created = await apiOf(command, context).post<TokenCreatedResponse>('/tokens', {
          name,
          role: options.role,
          ...(options.account && { user: options.account }),
          ...(options.expires && { expiresAt: options.expires }),
        });
        context.print(created.token);
        context.error(
          `token ${created.name} (${created.role}, acting as ${created.user}) made; it is not shown again`,
        );
      },
    );
}
