/** What commands read and write, so tests can run them in-process. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  print(line: string): void;
}
