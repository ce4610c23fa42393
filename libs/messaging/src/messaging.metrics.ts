import { Counter, Histogram } from 'prom-client';

export const messagesTotal = new Counter({
  name: 'hydra_messages_total',
  help: 'Messages delivered to handlers, by subject and outcome (ack, retry, dead-letter)',
  labelNames: ['subject', 'outcome'],
});

export const messageHandlingSeconds = new Histogram({
  name: 'hydra_message_handling_seconds',
  help: 'Time spent in event handlers',
  labelNames: ['subject'],
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
});
