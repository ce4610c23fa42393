import type { InProcessBus } from './in-process/in-process.bus';
import type { JetStreamConnection } from './jetstream/jetstream.connection';

/** How far one durable consumer is behind its stream. */
export interface ConsumerLag {
  consumer: string;
  /** The logical subject it consumes (without the namespace prefix); null when it filters on several. */
  subject: string | null;
  /** Messages in the stream it has not been delivered yet. */
  pending: number;
  /** Messages delivered to a handler and not yet acknowledged. */
  ackPending: number;
  /** `pending + ackPending`: the work still ahead of it. */
  lag: number;
}

/** Every durable consumer's lag on the broker a process is linked to. */
export interface ConsumerLagReport {
  transport: 'jetstream' | 'in-process';
  stream: string | null;
  /** Why the list may not be what a reader expects (the in-process bus's limits). */
  note: string | null;
  consumers: ConsumerLag[];
}

/**
 * Asks the JetStream server about every consumer of the stream; ephemeral and ordered consumers
 * (live feeds, test recorders) are left out, as nothing waits on them.
 */
export async function jetStreamConsumerLag(connection: JetStreamConnection): Promise<ConsumerLagReport> {
  const { stream } = connection.options;
  const consumers: ConsumerLag[] = [];
  for await (const info of connection.manager.consumers.list(stream)) {
    if (!info.config.durable_name) continue;
    const filter = info.config.filter_subject ?? single(info.config.filter_subjects);
    consumers.push(
      lagOf(
        info.name,
        filter ? connection.logicalSubject(filter) : null,
        info.num_pending,
        info.num_ack_pending,
      ),
    );
  }
  consumers.sort((a, b) => a.consumer.localeCompare(b.consumer));
  return { transport: 'jetstream', stream, note: null, consumers };
}

/** The in-process bus's queues: messages waiting, and those its handlers hold. */
export function inProcessConsumerLag(bus: InProcessBus): ConsumerLagReport {
  const consumers = bus
    .queueDepths()
    .map((queue) => lagOf(queue.consumer, queue.pattern, queue.waiting, queue.running))
    .sort((a, b) => a.consumer.localeCompare(b.consumer));
  return {
    transport: 'in-process',
    stream: null,
    note: 'in-process bus: only the consumers of this process are visible, and nothing survives a restart',
    consumers,
  };
}

function lagOf(consumer: string, subject: string | null, pending: number, ackPending: number): ConsumerLag {
  return { consumer, subject, pending, ackPending, lag: pending + ackPending };
}

function single(subjects: string[] | undefined): string | undefined {
  return subjects?.length === 1 ? subjects[0] : undefined;
}
