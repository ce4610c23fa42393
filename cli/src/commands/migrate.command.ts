import { migrate } from '@hydra/db';
import { configVars, loadConfig } from '@hydra/runtime';
import type { Command } from 'commander';
import { z } from 'zod';
import type { CliContext } from '../cli-context';

const migrateEnvironment = z.object({ DATABASE_URL: configVars.url(['postgres', 'postgresql']) });

/** `hydra migrate`: brings the database at DATABASE_URL up to the current schema. */
export function registerMigrateCommand(program: Command, context: CliContext): void {
  program
    .command('migrate')
    .description('apply pending database migrations to DATABASE_URL')
    .action(async () => {
      const { DATABASE_URL } = loadConfig(migrateEnvironment, context.env);
      const applied = await migrate(DATABASE_URL);
      context.print(
        applied.length
          ? `applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join('\n')}`
          : 'database is up to date',
      );
    });
}
