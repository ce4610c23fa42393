import { readFile } from 'node:fs/promises';

/** A process's resident memory (`VmRSS` in /proc/<pid>/status) in bytes; undefined once it has exited. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  return status === undefined ? undefined : parseResidentBytes(status);
}

/** `VmRSS:    123456 kB` → bytes; undefined when the line is missing (a zombie has none). */
export function parseResidentBytes(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}
