import {
  type DynamicModule,
  Global,
  Inject,
  type INestApplication,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { HealthProbe } from '@hydra/runtime';
import type { NestMicroservice } from '@nestjs/microservices';
import { EventErrorFilter } from './event-error.filter';
import { EventPublisher } from './event-publisher';
import {
  EVENT_TRANSPORT,
  type EventTransport,
  type MessagingOptions,
  openEventTransport,
} from './event-transport';

/** Readiness of the broker link, for ObservabilityModule. */
@Injectable()
export class MessagingHealthProbe implements HealthProbe {
  readonly name = 'messaging';
  constructor(@Inject(EVENT_TRANSPORT) private readonly transport: EventTransport) {}
  check(): Promise<void | string> {
    return this.transport.check();
  }
}

/**
 * The broker link as a degradation rather than a failure, for a service that keeps taking work
 * while the broker is away (ingest, whose outbox announces later): taking it out of service then
 * would refuse exactly the uploads the outbox is there to keep.
 */
@Injectable()
export class BrokerTolerantHealthProbe extends MessagingHealthProbe {
  override check(): Promise<void | string> {
    return super.check().then(
      () => undefined,
      (error: unknown) => `degraded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Gives every module of a service the EventPublisher; `startEventConsumers` starts its handlers. */
@Global()
@Module({})
export class MessagingModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_TRANSPORT) private readonly transport: EventTransport) {}

  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: EVENT_TRANSPORT, useFactory: () => openEventTransport(options) },
        {
          provide: EventPublisher,
          useFactory: (transport: EventTransport) => transport.publisher,
          inject: [EVENT_TRANSPORT],
        },
        MessagingHealthProbe,
        BrokerTolerantHealthProbe,
      ],
      exports: [EVENT_TRANSPORT, EventPublisher, MessagingHealthProbe, BrokerTolerantHealthProbe],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }
}

/** Binds every `@EventPattern` handler of the app to the broker and starts consuming. */
export async function startEventConsumers(app: INestApplication): Promise<void> {
  const transport = app.get<EventTransport>(EVENT_TRANSPORT);
  // Not inheriting the HTTP config keeps the event error filter away from HTTP responses; the
  // filter must be in place before the handlers are wrapped, hence the deferred initialisation.
  const microservice = app.connectMicroservice(
    { strategy: transport.createServer() },
    { inheritAppConfig: false, deferInitialization: true },
  ) as NestMicroservice;
  microservice.useGlobalFilters(new EventErrorFilter());
  microservice.registerListeners();
  microservice.setIsInitialized(true);
  microservice.setIsInitHookCalled(true);
  await app.startAllMicroservices();
}
