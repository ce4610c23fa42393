import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running `<directory>/<script>.js`, the built script next to its caller (dist), or
 * under ts-jest `<script>.ts` through ts-node with the `tsconfig` of the caller's package.
 */
export function startScriptThread(directory: string, script: string, tsconfig: string): Worker {
  const compiled = join(directory, `${script}.js`);
  if (existsSync(compiled)) return new Worker(compiled);
  return new Worker(join(directory, `${script}.ts`), {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, TS_NODE_PROJECT: tsconfig },
  });
}
