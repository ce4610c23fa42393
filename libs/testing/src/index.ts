export * from './fixtures';
export * from './service-process';
export * from './hydra-processes';
export * from './service-test-bed';
export * from './api-token';
