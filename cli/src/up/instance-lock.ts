import { readFile, unlink, writeFile } from 'node:fs/promises';

/** Another `hydra up` holds the data folder. */
export class AlreadyRunningError extends Error {}

interface LockContents {
  pid: number;
  startedAt: string;
  /** The servers this run started, so a run that died without stopping them can be cleaned up after. */
  children: { name: string; pid: number }[];
}

/**
 * One `hydra up` per data folder: a lock file naming the holder's pid. A lock whose process is gone
 * is stale (the run was killed): its leftover servers are stopped and the lock is taken over.
 */
export class InstanceLock {
  private readonly contents: LockContents;

  private constructor(private readonly path: string) {
    this.contents = { pid: process.pid, startedAt: new Date().toISOString(), children: [] };
  }

  static async acquire(
    path: string,
    dataRoot: string,
    report: (line: string) => void,
  ): Promise<InstanceLock> {
    const lock = new InstanceLock(path);
    for (let attempt = 0; ; attempt++) {
      try {
        await writeFile(path, JSON.stringify(lock.contents), { flag: 'wx' });
        return lock;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      }
      const held = await readLock(path);
      if (held && isAlive(held.pid))
        throw new AlreadyRunningError(
          `Hydra is already running on ${dataRoot} (pid ${held.pid}, since ${held.startedAt}); ` +
            'stop it first (Ctrl-C in its terminal, or kill ' +
            `${held.pid}) or give this one another --data folder`,
        );
      if (held) await stopLeftovers(held, dataRoot, report);
      await unlink(path).catch(() => undefined);
    }
  }

  /** Records a server this run started (for the clean-up after a run that was killed), in place of one of the same name. */
  async track(name: string, pid: number | undefined): Promise<void> {
    if (pid === undefined) return;
    this.contents.children = [
      ...this.contents.children.filter((child) => child.name !== name),
      { name, pid },
    ];
    await writeFile(this.path, JSON.stringify(this.contents));
  }

  async release(): Promise<void> {
    const held = await readLock(this.path);
    if (held?.pid === process.pid) await unlink(this.path).catch(() => undefined);
  }
}

async function readLock(path: string): Promise<LockContents | null> {
  try {
    const contents = JSON.parse(await readFile(path, 'utf8')) as Partial<LockContents>;
    return typeof contents.pid === 'number'
      ? { pid: contents.pid, startedAt: String(contents.startedAt), children: contents.children ?? [] }
      : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Only processes whose command line still names this data folder: a pid may have been reused since. */
async function stopLeftovers(held: LockContents, dataRoot: string, report: (line: string) => void) {
  for (const child of held.children) {
    const commandLine = await readFile(`/proc/${child.pid}/cmdline`, 'utf8').catch(() => '');
    if (!isAlive(child.pid) || !commandLine.replaceAll('\0', ' ').includes(dataRoot)) continue;
    report(`stopping ${child.name} (pid ${child.pid}), left running by a Hydra that was killed`);
    process.kill(child.pid, 'SIGTERM');
    for (let waited = 0; waited < 100 && isAlive(child.pid); waited++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    if (isAlive(child.pid)) process.kill(child.pid, 'SIGKILL');
  }
}
