export * from './object-store';
export * from './object-key';
export * from './s3-object-store';
export * from './local-object-store';
export * from './signed-object.handler';
export * from './object-store.factory';
export * from './nest/object-store.module';
