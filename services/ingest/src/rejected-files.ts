import { createHash } from 'node:crypto';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { relativeToRoot } from './plot-file-name';

export const REJECTED_FOLDER = 'rejected';
export const INGESTED_FOLDER = 'ingested';

/** The longest file name, in bytes, that common file systems (ext4, XFS, NFS) allow. */
const NAME_MAX = 255;

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
  const relative = relativeToRoot(root, path);
  const target = await freeTarget(join(root, REJECTED_FOLDER, relative));
  await rename(path, target);
  const reasonFile = join(dirname(target), fitName(basename(target), '.reason.txt'));
  await writeFile(
    reasonFile,
    `${reason}: ${message}\nfile: ${relative}\nrejected at ${new Date().toISOString()}\n`,
  );
  return target;
}

/** Moves a stored file to `<root>/ingested/<same relative path>`. */
export async function moveToIngested(root: string, path: string): Promise<void> {
  await rename(path, await freeTarget(join(root, INGESTED_FOLDER, relativeToRoot(root, path))));
}

/**
 * `name` followed by `suffix`; when that is too long for a file name, the name is cut short and
 * a hash of it added, so different long names still get different files.
 */
export function fitName(name: string, suffix: string): string {
  if (Buffer.byteLength(name + suffix) <= NAME_MAX) return name + suffix;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  const room = NAME_MAX - Buffer.byteLength(`~${hash}${suffix}`);
  const characters = [...name];
  while (Buffer.byteLength(characters.join('')) > room) characters.pop();
  return `${characters.join('')}~${hash}${suffix}`;
}

/** The target itself, or with a timestamp when a file of that name was moved there before. */
async function freeTarget(target: string): Promise<string> {
  await mkdir(dirname(target), { recursive: true });
  const taken = await access(target).then(
    () => true,
    () => false,
  );
  return taken ? join(dirname(target), fitName(basename(target), `.${Date.now()}`)) : target;
}
