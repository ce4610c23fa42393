export * from './test-model';
export * from './kernel-reference';
