import { parsePlotPath } from '@hydra/ingest';
import { type Command, InvalidArgumentError } from 'commander';
import { copyFile, mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { apiCommand, apiOf } from '../api/api-options';
import { CliError } from '../api/hydra-api';
import type { CliContext } from '../cli-context';

const positiveNumber = (value: string) => {
  const number = Number(value);
  if (!(number > 0)) throw new InvalidArgumentError('a number > 0');
  return number;
};

/**
 * `hydra feed <folder>`: replays a folder of plots (`RunPeriod-<period>/Run<number>/<PlotType>[_<chunk>].png`) as
 * a RootSpy-like producer would: pushed to the API, or written into a watched folder with --into.
 */
export function registerFeedCommand(program: Command, context: CliContext): void {
  apiCommand(program, 'feed', context)
    .description('replay a folder of plots at a steady rate')
    .argument('<folder>', 'holds RunPeriod-<period>/Run<number>/<PlotType>[_<chunk>].png files')
    .option('--rate <n>', 'plots per second', positiveNumber, 2)
    .option(
      '--into <watchDir>',
      'write the files into this watched folder instead of pushing them to the API',
    )
    .action(async (folder: string, options: { rate: number; into?: string }, command: Command) => {
      const files = (await plotFiles(folder)).sort();
      if (!files.length) throw new CliError(`no .png or .jpg files under ${folder}`);
      const api = options.into ? null : apiOf(command, context);
      const start = performance.now();
      let sent = 0;
      for (const [index, file] of files.entries()) {
        const wait = start + (index * 1000) / options.rate - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        let plot;
        try {
          plot = parsePlotPath(file);
        } catch (error) {
          context.error(`skipped ${relative(folder, file)}: ${(error as Error).message}`);
          continue;
        }
        if (options.into) {
          const target = join(options.into, relative(folder, file));
          await mkdir(dirname(target), { recursive: true });
          // Written under a temporary name and renamed, as a producer should, so no half file is judged.
          await copyFile(file, `${target}.part`);
          await rename(`${target}.part`, target);
        } else {
          const query = new URLSearchParams({
            plotType: plot.plotType,
            runNumber: String(plot.runNumber),
            runPeriod: plot.runPeriod,
            ...(plot.chunk !== null && { chunk: String(plot.chunk) }),
            ...(plot.pad !== null && { pad: plot.pad }),
          });
          const type = /\.jpe?g$/i.test(file) ? 'image/jpeg' : 'image/png';
          await api?.upload(`/images?${query}`, await readFile(file), type);
        }
        sent++;
      }
      context.print(
        `fed ${sent} of ${files.length} plots in ${((performance.now() - start) / 1000).toFixed(1)} s`,
      );
    });
}

async function plotFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => {
    throw new CliError(`cannot read ${folder}`);
  });
  return entries
    .filter((entry) => entry.isFile() && /\.(png|jpe?g)$/i.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}
