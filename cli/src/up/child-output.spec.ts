import { consoleLine } from './child-output';

describe('what of a part’s output reaches the console', () => {
  const log = (level: number, msg: string) =>
    JSON.stringify({ level, msg, name: 'ingest', context: 'Watcher' });

  it('shows warnings and errors of the JSON logs, with the part and the context', () => {
    expect(consoleLine('ingest', log(40, 'rejected a.png'), 'stdout', false)).toBe(
      'ingest | WARN [Watcher] rejected a.png',
    );
    expect(consoleLine('ingest', log(50, 'broken'), 'stdout', false)).toBe('ingest | ERROR [Watcher] broken');
  });

  it('keeps routine lines in the log file only, unless verbose', () => {
    expect(consoleLine('ingest', log(30, 'stored'), 'stdout', false)).toBeNull();
    expect(consoleLine('nats', '[1] 2026/12/01 [INF] Server is ready', 'stderr', false)).toBeNull();
    expect(consoleLine('ingest', log(30, 'stored'), 'stdout', true)).toBe('ingest | info [Watcher] stored');
  });

  it('shows what a server marks serious, and other lines on standard error (a crash)', () => {
    expect(consoleLine('nats', '[1] 2026/12/01 [ERR] no space left', 'stderr', false)).toContain('[ERR]');
    expect(consoleLine('postgres', 'FATAL:  data directory has wrong ownership', 'stdout', false)).toContain(
      'FATAL',
    );
    expect(consoleLine('classifier', 'DATABASE_URL: is not set', 'stderr', false)).toBe(
      'classifier | DATABASE_URL: is not set',
    );
  });
});
