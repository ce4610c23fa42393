export * from './explainer.app';
export * from './explainer.config';
