export * from './config/load-config';
export * from './logging/logger';
export * from './observability/health-probe';
export * from './observability/observability.module';
export * from './http/zod-validation.pipe';
export * from './http/public-route';
