export * from './trainer.app';
export * from './trainer.config';
