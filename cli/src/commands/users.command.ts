import { type UserResponse, userRole } from '@hydra/contracts';
import { type Command, Option } from 'commander';
import { apiCommand, apiOf } from '../api/api-options';
import { CliError, type HydraApi } from '../api/hydra-api';
import type { CliContext } from '../cli-context';
import { printTable } from './print-table';

/** `hydra users add|list|grant`: accounts and per-plot-type permissions (admins). */
export function registerUserCommands(program: Command, context: CliContext): void {
  const users = program
    .command('users')
    .description('accounts, roles and plot-type permissions (admins only)');

  apiCommand(users, 'list', context)
    .description('every account with its role and permissions')
    .action(async (_options: unknown, command: Command) => {
      const list = await apiOf(command, context).get<UserResponse[]>('/users');
      printTable(
        context,
        ['name', 'role', 'password', 'disabled', 'permissions'],
        list.map((user) => [
          user.name,
          user.role,
          user.hasPassword ? 'yes' : 'no',
          user.disabled ? 'yes' : '',
          user.permissions
            .map(
              (grant) =>
                `${grant.plotType}:${[grant.canLabel && 'label', grant.canTrain && 'train', grant.canPromote && 'promote'].filter(Boolean).join('+')}`,
            )
            .join(' '),
        ]),
      );
    });

  apiCommand(users, 'add', context)
    .description('make an account; its password is read from standard input with --password-stdin')
    .argument('<name>')
    .addOption(
      new Option('--role <role>', 'what the account may do').choices(userRole.options).makeOptionMandatory(),
    )
    .option('--display-name <text>', 'the name shown in the web app')
    .option(
      '--password-stdin',
      'read the password from standard input (else the account cannot log in with one)',
    )
    .action(
      async (
        name: string,
        options: { role: string; displayName?: string; passwordStdin?: boolean },
        command: Command,
      ) => {
        const password = options.passwordStdin ? (await context.readStdin()).trim() : undefined;
        const user = await apiOf(command, context).post<UserResponse>('/users', {
          name,
          role: options.role,
          ...(options.displayName && { displayName: options.displayName }),
          ...(password && { password }),
        });
        context.print(`made ${user.name} (${user.role})`);
      },
    );

  apiCommand(users, 'grant', context)
    .description('let a labeler or expert work on a plot type')
    .argument('<name>')
    .argument('<plotType>')
    .option('--label', 'may label it')
    .option('--train', 'may train and change its settings')
    .option('--promote', 'may promote, roll back, retire its models and set thresholds')
    .action(
      async (
        name: string,
        plotType: string,
        options: { label?: boolean; train?: boolean; promote?: boolean },
        command: Command,
      ) => {
        if (!options.label && !options.train && !options.promote)
          throw new CliError('say what to grant: --label, --train and/or --promote');
        const api = apiOf(command, context);
        const user = await userNamed(api, name);
        await api.put(`/users/${user.id}/permissions/${plotType}`, {
          canLabel: options.label ?? false,
          canTrain: options.train ?? false,
          canPromote: options.promote ?? false,
        });
        context.print(
          `${name} may now ${[options.label && 'label', options.train && 'train', options.promote && 'promote'].filter(Boolean).join(', ')} ${plotType}`,
        );
      },
    );
}

async function userNamed(api: HydraApi, name: string): Promise<UserResponse> {
  const user = (await api.get<UserResponse[]>('/users')).find((candidate) => candidate.name === name);
  if (!user) throw new CliError(`no user named ${name}: see \`hydra users list\``);
  return user;
}
