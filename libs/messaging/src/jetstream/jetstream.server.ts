import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { buildDeadLetter, countDeadLetter, type InboundDelivery, settleDelivery } from '../delivery';
import { type DeliveryPolicy, policyFor } from '../delivery-policy';
import { deadLetterSubject } from '@hydra/contracts';
import type { JetStreamConnection } from './jetstream.connection';

/**
 * Nest transport over JetStream durable pull consumers: one consumer per service and subject, ack
 * after the handler succeeds, nak with back-off when it throws, `dlq.<subject>` after the last try.
 */
export class JetStreamServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(JetStreamServer.name);
  private readonly subscriptions: ConsumerMessages[] = [];
  private readonly pumps: Promise<void>[] = [];

  constructor(
    private readonly connection: JetStreamConnection,
    private readonly service: string,
    private readonly defaults: DeliveryPolicy,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const version = this.connection.nats.info?.version;
      if (!supportsTermReason(version))
        this.logger.log(
          `nats-server ${version ?? '(unknown)'}: dead letters are terminated without a reason`,
        );
      for (const [pattern, handler] of this.messageHandlers) {
        if (!handler.isEventHandler)
          throw new Error(`"${pattern}" is a @MessagePattern; Hydra's transport carries events only`);
        await this.consume(pattern, handler);
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.close()));
    await Promise.all(this.pumps);
  }

  on(): never {
    throw new Error('JetStreamServer has no events to listen to; use /health');
  }

  unwrap<T>(): T {
    return this.connection.nats as T;
  }

  private async consume(subject: string, handler: MessageHandler): Promise<void> {
    const policy = policyFor(this.defaults, handler.extras);
    const durable = durableName(this.service, subject);
    const consumer = await this.connection.ensureConsumer(durable, subject, policy);
    const messages = await consumer.consume({ max_messages: policy.prefetch });
    this.subscriptions.push(messages);
    this.pumps.push(this.pump(messages, durable, handler, policy));
    this.logger.log(
      `consuming ${subject} as ${durable} (concurrency ${policy.concurrency}, max ${policy.maxDeliver} attempts)`,
    );
  }

  private async pump(
    messages: ConsumerMessages,
    durable: string,
    handler: MessageHandler,
    policy: DeliveryPolicy,
  ) {
    const running = new Set<Promise<void>>();
    for await (const message of messages) {
      const task = this.process(message, durable, handler, policy).finally(() => running.delete(task));
      running.add(task);
      if (running.size >= policy.concurrency) await Promise.race(running);
    }
    await Promise.all(running);
  }

  private async process(message: JsMsg, durable: string, handler: MessageHandler, policy: DeliveryPolicy) {
    const delivery: InboundDelivery = {
      subject: this.connection.logicalSubject(message.subject),
      attempt: message.info.deliveryCount,
      sequence: message.seq,
      messageId: message.headers?.get('Nats-Msg-Id') || null,
      payload: message.string(),
    };
    // A long handler (training) keeps its message from being redelivered to another replica.
    const heartbeat = setInterval(() => message.working(), Math.max(policy.ackWaitMs / 3, 100));
    try {
      const outcome = await settleDelivery(delivery, handler, policy);
      if (outcome.kind === 'ack') {
        message.ack();
      } else if (outcome.kind === 'retry') {
        this.logger.warn(
          `${delivery.subject} #${delivery.sequence} attempt ${delivery.attempt} failed: ${outcome.error}`,
        );
        message.nak(outcome.delayMs);
      } else {
        this.logger.error(`${delivery.subject} #${delivery.sequence} dead-lettered: ${outcome.reason}`);
        const deadLetter = buildDeadLetter(delivery, durable, outcome.reason);
        const dlq = deadLetterSubject(delivery.subject);
        // The id makes a second dead letter of one message (a lost term, a crash) a duplicate.
        const stored = await this.connection.publish(
          dlq,
          JSON.stringify(deadLetter),
          `${durable}:${delivery.sequence}`,
        );
        if (!stored.duplicate) countDeadLetter(delivery.subject);
        this.terminate(message, outcome.reason);
      }
    } catch (error) {
      // Only the dead-letter publish can land here; leave the message for redelivery.
      this.logger.error(`${delivery.subject} #${delivery.sequence}: ${(error as Error).message}`);
      message.nak(policy.backoffMs[0]);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * Takes a dead-lettered message off the consumer for good; the reason travels in the dead letter.
   * Read per message: after a reconnect the server may be another version.
   */
  private terminate(message: JsMsg, reason: string): void {
    if (supportsTermReason(this.connection.nats.info?.version)) message.term(reason.slice(0, 200));
    else message.term();
  }
}

/** Durable names may not contain `.`, `*` or `>`. */
export function durableName(service: string, subject: string): string {
  return `${service}__${subject.replace(/\./g, '_').replace(/\*/g, 'any').replace(/>/g, 'all')}`;
}

/** nats-server before 2.10 ignores `+TERM <reason>` entirely (the message stays with the consumer). */
export function supportsTermReason(serverVersion: string | undefined): boolean {
  const [major = 0, minor = 0] = (serverVersion ?? '').split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 10);
}
