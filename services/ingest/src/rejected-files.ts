import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { relativeToRoot } from './plot-file-name';

export const REJECTED_FOLDER = 'rejected';
export const INGESTED_FOLDER = 'ingested';

/**
 * Moves a refused file to `<root>/rejected/<same relative path>` with a `.reason.txt` beside it, so
 * a person sees why and the watcher never looks at it again.
 */
export async function moveAside(
  root: string,
  path: string,
  reason: string,
  message: string,
): Promise<string> {
  const target = await freeTarget(join(root, REJECTED_FOLDER, relativeToRoot(root, path)));
  await rename(path, target);
  await writeFile(`${target}.reason.txt`, `${reason}: ${message}\nrejected at ${new Date().toISOString()}\n`);
  return target;
}

/** Moves a stored file to `<root>/ingested/<same relative path>`. */
export async function moveToIngested(root: string, path: string): Promise<void> {
  await rename(path, await freeTarget(join(root, INGESTED_FOLDER, relativeToRoot(root, path))));
}

/** The target itself, or with a timestamp when a file of that name was moved there before. */
async function freeTarget(target: string): Promise<string> {
  await mkdir(dirname(target), { recursive: true });
  const taken = await access(target).then(
    () => true,
    () => false,
  );
  return taken ? `${target}.${Date.now()}` : target;
}
