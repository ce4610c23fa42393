import { streamSubjects } from '@hydra/contracts';
import {
  AckPolicy,
  type Consumer,
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  type PubAck,
  StorageType,
} from '@nats-io/jetstream';
import { connect, type NatsConnection, nanos } from '@nats-io/transport-node';
import type { DeliveryPolicy } from '../delivery-policy';
import type { NatsSecurity } from './nats-security';

export interface JetStreamOptions {
  /** NATS server URLs, e.g. `nats://127.0.0.1:4222`. */
  servers: string[];
  /** Stream name; `HYDRA` in production. */
  stream: string;
  /** Prepended to every subject on the wire so several halls (or test runs) can share one NATS. */
  subjectPrefix: string;
  /** Name shown in `nats server report connections`. */
  connectionName: string;
  /** Re-publishes of one message id within this window are dropped by the server. */
  duplicateWindowMs: number;
  /** Messages older than this leave the stream. */
  maxAgeMs: number;
  /** Credentials and TLS (`natsSecurityFromEnv`); none: an anonymous link, TLS if the server asks. */
  security?: NatsSecurity;
}

export const defaultJetStreamOptions: Omit<JetStreamOptions, 'servers' | 'connectionName'> = {
  stream: 'HYDRA',
  subjectPrefix: '',
  duplicateWindowMs: 10 * 60_000,
  maxAgeMs: 7 * 24 * 3_600_000,
};

/** One NATS connection per process, shared by the consumers and the publisher of a service. */
export class JetStreamConnection {
  private constructor(
    readonly options: JetStreamOptions,
    readonly nats: NatsConnection,
    readonly client: JetStreamClient,
    readonly manager: JetStreamManager,
  ) {}

  /** Connects and creates the stream, or updates it to capture every current subject. */
  static async open(options: JetStreamOptions): Promise<JetStreamConnection> {
    const nats = await connect({
      ...options.security,
      servers: options.servers,
      name: options.connectionName,
      maxReconnectAttempts: -1,
    });
    try {
      const manager = await jetstreamManager(nats);
      const connection = new JetStreamConnection(options, nats, jetstream(nats), manager);
      await connection.ensureStream();
      return connection;
    } catch (error) {
      await nats.close();
      throw error;
    }
  }

  wireSubject(subject: string): string {
    return `${this.options.subjectPrefix}${subject}`;
  }

  logicalSubject(wireSubject: string): string {
    return wireSubject.slice(this.options.subjectPrefix.length);
  }

  /** Publishes with `Nats-Msg-Id`, so the server drops a re-publish of the same id. */
  publish(subject: string, payload: string, messageId: string): Promise<PubAck> {
    return this.client.publish(this.wireSubject(subject), payload, { msgID: messageId });
  }

  /**
   * A durable pull consumer: replicas of a service bind to the same one and share its messages.
   * Redelivery limits are enforced by the transport (which dead-letters), so the server's is off.
   */
  async ensureConsumer(durableName: string, subject: string, policy: DeliveryPolicy): Promise<Consumer> {
    const { stream } = this.options;
    const settings = {
      ack_wait: nanos(policy.ackWaitMs),
      max_ack_pending: Math.max(policy.prefetch * 4, 1000),
    };
    const existing = await this.manager.consumers.info(stream, durableName).catch(() => null);
    if (existing) {
      await this.manager.consumers.update(stream, durableName, settings);
    } else {
      await this.manager.consumers.add(stream, {
        ...settings,
        durable_name: durableName,
        filter_subject: this.wireSubject(subject),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        max_deliver: -1,
      });
    }
    return this.client.consumers.get(stream, durableName);
  }

  /**
   * Drains (subscriptions emptied, pending publishes flushed), then closes. With the broker away a
   * drain never ends, so after `drainMs` the connection is closed as it is: a stopping service must
   * not hang on a broker outage, and what it did not acknowledge is redelivered anyway.
   */
  async close(drainMs = 5_000): Promise<void> {
    if (this.nats.isClosed()) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), drainMs);
    });
    const drained = this.nats.isDraining()
      ? false
      : this.nats.drain().then(
          () => true,
          () => false,
        );
    const done = await Promise.race([drained, deadline]);
    clearTimeout(timer);
    if (!done && !this.nats.isClosed()) await this.nats.close();
  }

  private async ensureStream(): Promise<void> {
    const { stream, duplicateWindowMs, maxAgeMs } = this.options;
    const subjects = streamSubjects().map((subject) => this.wireSubject(subject));
    const settings = { subjects, duplicate_window: nanos(duplicateWindowMs), max_age: nanos(maxAgeMs) };
    const existing = await this.manager.streams.info(stream).catch(() => null);
    if (existing) {
      await this.manager.streams.update(stream, settings);
    } else {
      await this.manager.streams.add({ name: stream, storage: StorageType.File, ...settings });
    }
  }
}
