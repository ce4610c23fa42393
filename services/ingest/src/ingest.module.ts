import { INTERNAL_API_TOKEN, infrastructureModules, type ServiceConnections } from '@hydra/service';
import { type DynamicModule, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { ImageIngestService } from './image-ingest.service';
import { ImageOutboxHealthProbe, ImageOutboxModule } from './image-outbox.module';
import { ImageUploadController } from './image-upload.controller';
import { ImageRepository } from './image.repository';
import { INGEST_CONFIG, type IngestConfig } from './ingest.config';
import { PlotFolderWatcher } from './plot-folder.watcher';

export const INGEST_SERVICE = 'ingest';

/** Folder watcher + HTTP upload → object store, `image` row and its outbox row → `image.new`. */
@Module({})
export class IngestModule {
  static forRoot(config: IngestConfig, connections: ServiceConnections): DynamicModule {
    return {
      module: IngestModule,
      imports: [
        ...infrastructureModules(INGEST_SERVICE, connections, [ImageOutboxHealthProbe], {
          toleratesBrokerOutage: true,
        }),
        ImageOutboxModule,
        MulterModule.register({ limits: { fileSize: config.limits.maxBytes, files: 1 } }),
      ],
      controllers: [ImageUploadController],
      providers: [
        { provide: INGEST_CONFIG, useValue: config },
        { provide: INTERNAL_API_TOKEN, useValue: config.internalToken },
        ImageRepository,
        ImageIngestService,
        PlotFolderWatcher,
      ],
    };
  }
}
