import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  /** What the console and the log file call it. */
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Every line it writes goes here (appended). */
  logFile: string;
  /** A Node child with an IPC channel: it can be told to stop, and notices when `hydra up` dies. */
  ipc?: boolean;
  /** Started again (`restart`) when it stops on its own. */
  restartable?: boolean;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One run of its command: the process, and its exit once it has one. */
interface Life {
  readonly process: ChildProcess;
  readonly exited: Promise<ChildExit>;
  readonly exit: ChildExit | null;
}

/**
 * A server `hydra up` started. It runs in its own process group, so Ctrl-C reaches `hydra up` alone,
 * which then stops the parts in order (services before the broker and database they need). One
 * that stopped on its own can be started again with the same command (`restart`).
 */
export class ManagedChild {
  readonly name: string;
  private life: Life;
  private readonly log: WriteStream;
  /** Its last lines, for the message when it fails to start. */
  private readonly lastLines: string[] = [];

  private constructor(private readonly spec: ChildSpec) {
    this.name = spec.name;
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
    this.life = this.run();
  }

  static start(spec: ChildSpec): ManagedChild {
    return new ManagedChild(spec);
  }

  get restartable(): boolean {
    return this.spec.restartable ?? false;
  }

  /** Its current run's exit. */
  get exited(): Promise<ChildExit> {
    return this.life.exited;
  }

  get process(): ChildProcess {
    return this.life.process;
  }

  /** Runs its command again after it stopped on its own; whatever the last run left in its group is killed first. */
  restart(): void {
    if (this.running) throw new Error(`${this.name} is still running`);
    this.signalGroup('SIGKILL');
    this.life = this.run();
  }

  private run(): Life {
    const { spec, log } = this;
    log.write(`\n--- ${new Date().toISOString()} ${spec.command} ${spec.args.join(' ')}\n`);
    const child = spawn(spec.command, spec.args, {
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe', ...(spec.ipc ? (['ipc'] as const) : [])],
      detached: true,
    });
    // A failure to spawn comes as 'error' and then 'exit'; the exit is what callers wait on.
    child.on('error', (error) => log.write(`${spec.name} could not start: ${error.message}\n`));
    let exit: ChildExit | null = null;
    const exited = new Promise<ChildExit>((resolve) => {
      const settle = (code: number | null, signal: NodeJS.Signals | null) => {
        exit ??= { code, signal };
        resolve(exit);
      };
      child.once('exit', settle);
      // A command that could not be spawned has no exit to wait for.
      child.once('error', () => {
        if (child.pid === undefined) settle(null, null);
      });
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = child[stream];
      if (!source) continue;
      createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) => {
        if (!log.writableEnded) log.write(`${line}\n`);
        this.lastLines.push(line);
        if (this.lastLines.length > 20) this.lastLines.shift();
        spec.onLine?.(line, stream);
      });
    }
    return {
      process: child,
      exited,
      get exit() {
        return exit;
      },
    };
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Its last lines of output. */
  tail(): string {
    return this.lastLines.join('\n');
  }

  get running(): boolean {
    return this.life.exit === null;
  }

  /**
   * Waits until `ready` answers true (checked every 200 ms); fails with the child's last lines when
   * it exits first or is not ready within `timeoutMs`.
   */
  async until(ready: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await ready())) {
      if (!this.running)
        throw new Error(
          `${this.name} stopped while starting (exit ${this.life.exit?.code ?? this.life.exit?.signal}):\n${this.tail()}`,
        );
      if (Date.now() > deadline)
        throw new Error(`${this.name} was not ready within ${timeoutMs / 1000} s:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Whether it said `{ type: 'ready' }` over its IPC channel. */
  saidReady(): () => boolean {
    let ready = false;
    this.process.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') ready = true;
    });
    return () => ready;
  }

  /** Sends `message` over the IPC channel; false when there is none (any more). */
  send(message: unknown): boolean {
    if (!this.process.connected) return false;
    this.process.send(message as object);
    return true;
  }

  /**
   * Asks it to stop (`ask`, SIGTERM by default) and waits; after `graceMs` its whole process group
   * is killed, so nothing it started outlives it.
   */
  async stop(graceMs: number, ask: () => void = () => this.signal('SIGTERM')): Promise<ChildExit> {
    if (this.running) {
      ask();
      const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    // Anything it left in its group (a server's own children) goes with it.
    this.signalGroup('SIGKILL');
    await new Promise<void>((resolve) => this.log.end(resolve));
    return this.life.exit as ChildExit;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.process.kill(signal);
  }

  private signalGroup(signal: NodeJS.Signals): void {
    if (this.pid === undefined) return;
    try {
      process.kill(-this.pid, signal);
    } catch {
      // The group is gone already.
    }
  }
}
