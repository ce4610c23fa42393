export * from './fixtures';
export * from './service-process';
export * from './watch-loop-harness';
