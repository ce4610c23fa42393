export * from './labeler-api.app';
export * from './labeler-api.config';
