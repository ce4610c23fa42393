import { type Command, InvalidArgumentError } from 'commander';
import type { CliContext } from '../cli-context';
import { runUp } from '../up/up';

const positiveInteger = (what: string, max: number) => (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max)
    throw new InvalidArgumentError(`${what} must be a whole number from 1 to ${max}`);
  return number;
};

const rate = (value: string) => {
  const number = Number(value);
  if (!(number > 0 && number <= 100))
    throw new InvalidArgumentError('plots per second must be above 0 and at most 100');
  return number;
};

/** `hydra up`: every part of Hydra on this machine, configured or embedded, until Ctrl-C. */
export function registerUpCommand(program: Command, context: CliContext): void {
  program
    .command('up')
    .description(
      'run all of Hydra on this machine: uses DATABASE_URL, NATS_URL and S3_* when set, otherwise an embedded ' +
        'PostgreSQL, a nats-server from PATH (or an in-process bus) and a local folder',
    )
    .option(
      '--demo',
      'stream simulated plots with faults, and label and train the first models on the first start',
    )
    .option(
      '--watch <folders>',
      'folders holding RunPeriod-*/Run*/ plot trees, comma-separated',
      (value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)],
      [] as string[],
    )
    .option('--port <port>', 'the port of the web app and the API', positiveInteger('the port', 65_535), 8080)
    .option(
      '--host <address>',
      'where the web app and the API listen: 0.0.0.0 to be reachable from the network',
      '127.0.0.1',
    )
    .option('--data <folder>', 'where the database, broker, objects, logs and secrets are kept', '.hydra')
    .option('--demo-rate <perSecond>', 'simulated plots per second with --demo', rate, 2)
    .option(
      '--demo-images <count>',
      'labeled plots per plot type the first models learn from (--demo, first start)',
      positiveInteger('the count', 10_000),
      200,
    )
    .option('--verbose', 'every log line on the console, not only warnings and errors')
    .action(
      (options: {
        demo?: boolean;
        watch: string[];
        port: number;
        host: string;
        data: string;
        demoRate: number;
        demoImages: number;
        verbose?: boolean;
      }) => runUp({ ...options, demo: options.demo ?? false, verbose: options.verbose ?? false }, context),
    );
}
