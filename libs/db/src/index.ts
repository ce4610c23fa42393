export * from './entities';
export * from './data-source';
export * from './database-tls';
export * from './snake-naming.strategy';
export * from './nest/database.module';
export * from './image-new-payload';
