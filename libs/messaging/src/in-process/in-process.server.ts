import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import { countDeadLetter, settleDelivery } from '../delivery';
import { type DeliveryPolicy, policyFor } from '../delivery-policy';
import { durableName } from '../jetstream/jetstream.server';
import type { InProcessBus } from './in-process.bus';

/** The Nest transport over the in-process bus, with the JetStream transport's handler semantics. */
export class InProcessServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(InProcessServer.name);
  private readonly stops: (() => Promise<void>)[] = [];

  constructor(
    private readonly bus: InProcessBus,
    private readonly service: string,
    private readonly defaults: DeliveryPolicy,
  ) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    try {
      for (const [pattern, handler] of this.messageHandlers) {
        if (!handler.isEventHandler)
          throw new Error(`"${pattern}" is a @MessagePattern; Hydra's transport carries events only`);
        const policy = policyFor(this.defaults, handler.extras);
        const consumer = durableName(this.service, pattern);
        this.stops.push(
          this.bus.consume(consumer, pattern, policy, async (delivery) => {
            const outcome = await settleDelivery(delivery, handler, policy);
            if (outcome.kind === 'retry')
              this.logger.warn(`${delivery.subject} attempt ${delivery.attempt} failed: ${outcome.error}`);
            if (outcome.kind === 'dead-letter') {
              // The bus never redelivers: each dead letter is published (and counted) once.
              countDeadLetter(delivery.subject);
              this.logger.error(`${delivery.subject} dead-lettered: ${outcome.reason}`);
            }
            return outcome;
          }),
        );
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.stops.map((stop) => stop()));
  }

  on(): never {
    throw new Error('InProcessServer has no events to listen to');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }
}
