export * from './consumer-lag';
export * from './delivery-policy';
export * from './event-context';
export * from './event-publisher';
export * from './event-transport';
export * from './messaging.module';
export {
  JetStreamConnection,
  type JetStreamOptions,
  defaultJetStreamOptions,
} from './jetstream/jetstream.connection';
export { durableName } from './jetstream/jetstream.server';
export { type NatsSecurity, natsSecurityFromEnv } from './jetstream/nats-security';
export { subjectMatches } from './subject-match';
export * from './transport-from-env';
export * from './live/live-feed';
export { liveFeedInvalidTotal } from './live/feed-event';
