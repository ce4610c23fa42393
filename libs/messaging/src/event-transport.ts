import type { CustomTransportStrategy } from '@nestjs/microservices';
import { type ConsumerLagReport, inProcessConsumerLag, jetStreamConsumerLag } from './consumer-lag';
import { type DeliveryPolicy, defaultDeliveryPolicy } from './delivery-policy';
import type { EventPublisher } from './event-publisher';
import { InProcessBus } from './in-process/in-process.bus';
import { InProcessPublisher } from './in-process/in-process.publisher';
import { InProcessServer } from './in-process/in-process.server';
import {
  defaultJetStreamOptions,
  JetStreamConnection,
  type JetStreamOptions,
} from './jetstream/jetstream.connection';
import { JetStreamPublisher } from './jetstream/jetstream.publisher';
import { JetStreamServer } from './jetstream/jetstream.server';
import { InProcessLiveFeedSource } from './live/in-process.live-feed';
import { JetStreamLiveFeedSource } from './live/jetstream.live-feed';
import type { LiveFeedSource } from './live/live-feed';

export type TransportChoice =
  | { kind: 'jetstream'; servers: string[]; options?: Partial<Omit<JetStreamOptions, 'servers'>> }
  | { kind: 'in-process'; bus: InProcessBus };

export interface MessagingOptions {
  /** Names the durable consumers (`<service>__<subject>`), so replicas share them. */
  service: string;
  transport: TransportChoice;
  delivery?: Partial<DeliveryPolicy>;
}

/** A process's link to the broker: its publisher, its consumers' Nest strategy, its health. */
export interface EventTransport {
  readonly publisher: EventPublisher;
  createServer(): CustomTransportStrategy;
  check(): Promise<void>;
  /** Every durable consumer's backlog, for the status page. */
  consumerLag(): Promise<ConsumerLagReport>;
  /** Every event to this replica alone, for live updates (not a queue shared with other replicas). */
  readonly liveFeed: LiveFeedSource;
  close(): Promise<void>;
}

export const EVENT_TRANSPORT = Symbol('EVENT_TRANSPORT');

export async function openEventTransport({
  service,
  transport,
  delivery,
}: MessagingOptions): Promise<EventTransport> {
  const policy = { ...defaultDeliveryPolicy, ...delivery };
  if (transport.kind === 'in-process') {
    const { bus } = transport;
    const liveFeed = new InProcessLiveFeedSource(bus);
    return {
      publisher: new InProcessPublisher(bus),
      createServer: () => new InProcessServer(bus, service, policy),
      check: async () => undefined,
      consumerLag: async () => inProcessConsumerLag(bus),
      liveFeed,
      close: () => liveFeed.close(),
    };
  }
  const connection = await JetStreamConnection.open({
    ...defaultJetStreamOptions,
    connectionName: service,
    ...transport.options,
    servers: transport.servers,
  });
  return {
    publisher: new JetStreamPublisher(connection),
    createServer: () => new JetStreamServer(connection, service, policy),
    check: async () => {
      if (connection.nats.isClosed()) throw new Error('NATS connection is closed');
      await connection.manager.streams.info(connection.options.stream);
    },
    consumerLag: () => jetStreamConsumerLag(connection),
    liveFeed: new JetStreamLiveFeedSource(connection),
    close: () => connection.close(),
  };
}

export { InProcessBus };
