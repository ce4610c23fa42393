export * from './service-app';
export * from './service-config';
export * from './internal-caller.guard';
export * from './service-ports';
