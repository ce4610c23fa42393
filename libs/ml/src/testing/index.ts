export * from './test-model';
