/** What commands read and write, so tests can run them in-process. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  print(line: string): void;
  /** Messages for people (standard error), kept apart from output scripts read. */
  error(line: string): void;
  readStdin(): Promise<string>;
}
