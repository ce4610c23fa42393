import { type INestApplication, Logger, ShutdownSignal } from '@nestjs/common';

interface RunningService {
  name: string;
  close(signal: string): Promise<void>;
}

/** This process's services in start order (`hydra up` runs several in one); a signal stops them newest first. */
const running: RunningService[] = [];
let listening = false;
let stopSignal: string | undefined;

/**
 * Makes `app.close()` say why the service stops, what it closes and, at the end, that it has
 * stopped, so a clean stop can be told from a crash in the log; and closes every service of the
 * process on a shutdown signal, then exits (0, or 1 when a service failed to close).
 */
export function stopWithLog(name: string, app: INestApplication): void {
  const logger = new Logger(name);
  // Nest's close passes the signal on to the shutdown hooks, though its type does not say so.
  const close = (app.close as (signal?: string) => Promise<void>).bind(app);
  let closing: Promise<void> | undefined;
  const entry: RunningService = {
    name,
    close: (signal) =>
      (closing ??= (async () => {
        running.splice(running.indexOf(entry), 1);
        const reason = signal || 'closed by the application';
        logger.log(
          `${name} stopping (${reason}): closing its HTTP server, event consumers, broker and database connections`,
        );
        const started = performance.now();
        await close(signal || undefined);
        logger.log(`${name} stopped (${reason}) after ${Math.round(performance.now() - started)} ms`);
      })()),
  };
  app.close = (signal?: string) => entry.close(signal ?? '');
  running.push(entry);
  if (!listening) for (const signal of Object.values(ShutdownSignal)) process.on(signal, onSignal);
  listening = true;
}

function onSignal(signal: NodeJS.Signals): void {
  const logger = new Logger('Service');
  if (stopSignal !== undefined) {
    logger.warn(`${signal} while stopping after ${stopSignal}: exiting without waiting`);
    process.exit(1);
  }
  stopSignal = signal;
  void (async () => {
    let failed = false;
    for (const service of [...running].reverse())
      await service.close(signal).catch((error: unknown) => {
        failed = true;
        logger.error(`${service.name} did not stop cleanly: ${error instanceof Error ? error.stack : error}`);
      });
    // exit() rather than re-raising the signal, so a logger writing through a worker flushes first.
    process.exit(failed ? 1 : 0);
  })();
}
