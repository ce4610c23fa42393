#!/usr/bin/env node
import { ConfigError } from '@hydra/runtime';
import { CommanderError } from 'commander';
import { text } from 'node:stream/consumers';
import { CliError } from './api/hydra-api';
import { createProgram } from './program';

createProgram({
  env: process.env,
  print: (line) => console.log(line),
  error: (line) => console.error(line),
  readStdin: () => text(process.stdin),
})
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof CommanderError) {
      // Help and version end well; every usage mistake is exit code 2, as for Unix tools.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    console.error(error instanceof ConfigError || error instanceof CliError ? error.message : error);
    process.exitCode = 1;
  });
