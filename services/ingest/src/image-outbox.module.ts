import type { HealthProbe } from '@hydra/runtime';
import { Global, Injectable, Module } from '@nestjs/common';
import { ImageOutboxRelay } from './image-outbox.relay';
import { ImageOutboxRepository } from './image-outbox.repository';

/** Readiness detail: announcements waiting while the broker refuses them (ingest stays ready). */
@Injectable()
export class ImageOutboxHealthProbe implements HealthProbe {
  readonly name = 'outbox';
  constructor(private readonly relay: ImageOutboxRelay) {}

  async check(): Promise<string | void> {
    const degraded = await this.relay.degradation();
    if (degraded)
      return `degraded: ${degraded.count} stored images wait for their image.new (the oldest for ${Math.round(degraded.oldestSeconds)} s), sent once the broker takes them; its last refusal: ${degraded.reason}`;
  }
}

/** The outbox and its relay; global so that the health probe (built by ObservabilityModule) reaches the relay. */
@Global()
@Module({
  providers: [ImageOutboxRepository, ImageOutboxRelay],
  exports: [ImageOutboxRepository, ImageOutboxRelay],
})
export class ImageOutboxModule {}
