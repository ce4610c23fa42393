import type { StatusDto } from '@hydra/contracts';
import type { Command } from 'commander';
import { apiCommand, apiOf } from '../api/api-options';
import type { CliContext } from '../cli-context';
import { printTable } from './print-table';

/** `hydra status`: each service's health, stage latencies and consumer lag, as the Status page shows them. */
export function registerStatusCommand(program: Command, context: CliContext): void {
  apiCommand(program, 'status', context)
    .description("each service's health, per-stage latency over 24 h and JetStream consumer lag")
    .action(async (_options: unknown, command: Command) => {
      const status = await apiOf(command, context).get<StatusDto>('/status');
      printTable(
        context,
        ['service', 'status', 'url'],
        status.services.map((service) => [
          service.name,
          service.status + (service.error ? ` (${service.error})` : ''),
          service.url,
        ]),
      );
      context.print('');
      printTable(
        context,
        ['stage', 'images', 'p50 ms', 'p99 ms'],
        status.latency.map((stage) => [
          stage.stage,
          String(stage.count),
          format(stage.p50Ms),
          format(stage.p99Ms),
        ]),
      );
      context.print('');
      printTable(
        context,
        ['consumer', 'waiting', 'in flight'],
        status.consumers.lag.map((consumer) => [
          consumer.consumer,
          String(consumer.pending),
          String(consumer.ackPending),
        ]),
      );
    });
}

const format = (value: number | null) => (value === null ? '–' : value.toFixed(0));
