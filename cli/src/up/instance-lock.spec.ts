import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlreadyRunningError, InstanceLock } from './instance-lock';

describe('one hydra up per data folder', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'hydra-lock-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  const lockFile = () => join(folder, 'hydra.lock');

  it('refuses a folder whose lock names a live process, naming it', async () => {
    await writeFile(lockFile(), JSON.stringify({ pid: process.ppid, startedAt: 'earlier', children: [] }));
    const attempt = InstanceLock.acquire(lockFile(), folder, () => undefined);
    await expect(attempt).rejects.toThrow(AlreadyRunningError);
    await expect(attempt).rejects.toThrow(`Hydra is already running on ${folder} (pid ${process.ppid}`);
  });

  it('takes over the lock of a run that died, and gives it back', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    await once(dead, 'exit');
    await writeFile(lockFile(), JSON.stringify({ pid: dead.pid, startedAt: 'earlier', children: [] }));
    const lock = await InstanceLock.acquire(lockFile(), folder, () => undefined);
    expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
    await expect(readFile(lockFile())).rejects.toThrow('ENOENT');
  });

  it('records a server started again under its name once, with its new pid', async () => {
    const lock = await InstanceLock.acquire(lockFile(), folder, () => undefined);
    await lock.track('postgres', 101);
    await lock.track('nats', 102);
    await lock.track('nats', 103);
    expect(JSON.parse(await readFile(lockFile(), 'utf8')).children).toEqual([
      { name: 'postgres', pid: 101 },
      { name: 'nats', pid: 103 },
    ]);
    await lock.release();
  });

  it('stops a server a killed run left behind, when its command line names the folder', async () => {
    const leftover = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', folder]);
    const dead = spawn(process.execPath, ['-e', '']);
    await once(dead, 'exit');
    await writeFile(
      lockFile(),
      JSON.stringify({
        pid: dead.pid,
        startedAt: 'earlier',
        children: [{ name: 'nats', pid: leftover.pid }],
      }),
    );
    const reports: string[] = [];
    const exited = once(leftover, 'exit');
    const lock = await InstanceLock.acquire(lockFile(), folder, (line) => reports.push(line));
    await exited;
    expect(reports).toEqual([expect.stringContaining(`stopping nats (pid ${leftover.pid})`)]);
    await lock.release();
  });
});
