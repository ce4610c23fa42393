/** pino's numeric levels. */
const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const WARN = 40;

const SERIOUS = /\[(WRN|ERR|FTL)\]|\b(WARNING|ERROR|FATAL|PANIC):/;
const ROUTINE = /\[(INF|DBG|TRC)\]|\b(LOG|INFO|DEBUG\d?|NOTICE|DETAIL|HINT|STATEMENT|CONTEXT):/;

/** Dawn (the `webgpu` package) says so on stderr wherever there is no GPU; the wasm backend is used then. */
const DEPENDENCY_NOISE = [/^Warning: Couldn't load Vulkan/, /^\s+at operator\(\) \(.*dawn/];

/**
 * What of a part's output reaches the console (everything is in its log file): warnings and errors
 * of the JSON logs, and lines that are not logs (a crash's message), or every line with `verbose`.
 * Returns null for a line that stays in the log file only.
 */
export function consoleLine(
  part: string,
  line: string,
  stream: 'stdout' | 'stderr',
  verbose: boolean,
): string | null {
  if (!line.trim() || (!verbose && DEPENDENCY_NOISE.some((noise) => noise.test(line)))) return null;
  const entry = parseLogEntry(line);
  if (!entry) {
    // nats-server's `[INF]`/`[WRN]` and PostgreSQL's `LOG:`/`WARNING:` say how much each line matters.
    if (SERIOUS.test(line)) return `${part} | ${line}`;
    return verbose || (stream === 'stderr' && !ROUTINE.test(line)) ? `${part} | ${line}` : null;
  }
  if (entry.level < WARN && !verbose) return null;
  const context = entry.context ? `[${entry.context}] ` : '';
  return `${part} | ${LEVEL_NAMES[entry.level] ?? entry.level} ${context}${entry.msg}`;
}

interface LogEntry {
  level: number;
  msg: string;
  context?: string;
}

function parseLogEntry(line: string): LogEntry | null {
  if (!line.startsWith('{')) return null;
  try {
    const entry = JSON.parse(line) as Partial<LogEntry> & { err?: { message?: string } };
    if (typeof entry.level !== 'number') return null;
    return {
      level: entry.level,
      msg: String(entry.msg ?? entry.err?.message ?? ''),
      context: entry.context,
    };
  } catch {
    return null;
  }
}
