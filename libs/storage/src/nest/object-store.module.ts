import { type DynamicModule, Global, Inject, Injectable, Module } from '@nestjs/common';
import type { HealthProbe } from '@hydra/runtime';
import type { ObjectStore } from '../object-store';

/** The injection token of the process's `ObjectStore`. */
export const OBJECT_STORE = Symbol('OBJECT_STORE');

/** Readiness of the object store, for ObservabilityModule. */
@Injectable()
export class ObjectStoreHealthProbe implements HealthProbe {
  readonly name = 'object-store';
  constructor(@Inject(OBJECT_STORE) private readonly store: ObjectStore) {}
  check(): Promise<void> {
    return this.store.check();
  }
}

/** Gives every module of a service the object store (`@Inject(OBJECT_STORE)`). */
@Global()
@Module({})
export class ObjectStoreModule {
  static forRoot(store: ObjectStore | (() => Promise<ObjectStore>)): DynamicModule {
    return {
      module: ObjectStoreModule,
      providers: [
        { provide: OBJECT_STORE, useFactory: typeof store === 'function' ? store : () => store },
        ObjectStoreHealthProbe,
      ],
      exports: [OBJECT_STORE, ObjectStoreHealthProbe],
    };
  }
}
