#!/usr/bin/env node
import { ConfigError } from '@hydra/runtime';
import { createProgram } from './program';

createProgram({ env: process.env, print: (line) => console.log(line) })
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exitCode = 1;
  });
