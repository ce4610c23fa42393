export * from './classifier.app';
export * from './classifier.config';
