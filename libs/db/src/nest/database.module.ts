import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { HealthProbe } from '@hydra/runtime';
import { DataSource } from 'typeorm';
import { createDataSource } from '../data-source';

/** Readiness of the database link, for ObservabilityModule. */
@Injectable()
export class DatabaseHealthProbe implements HealthProbe {
  readonly name = 'database';
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}
  async check(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}

export interface DatabaseModuleOptions {
  url: string;
  /** Connections this process may hold. */
  poolSize?: number;
}

/** Gives every module of a service the TypeORM `DataSource`, connected at start-up and closed at shutdown. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot({ url, poolSize = 10 }: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          useFactory: () => createDataSource(url, { extra: { max: poolSize } }).initialize(),
        },
        DatabaseHealthProbe,
      ],
      exports: [DataSource, DatabaseHealthProbe],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
