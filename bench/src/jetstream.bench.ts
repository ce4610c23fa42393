/**
 * JetStream throughput and publish→handle latency through Hydra's own transport and publisher.
 *   npm run bench:jetstream -- --events 10000 --rate 1000
 */
import { randomUUID } from 'node:crypto';
import { type ImageNewEvent, Subjects } from '@hydra/contracts';
import { EventPublisher, MessagingModule, startEventConsumers } from '@hydra/messaging';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern } from '@nestjs/microservices';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Command } from 'commander';
import { summarize } from './stats';

const options = new Command('jetstream-bench')
  .option('--events <n>', 'events per scenario', (value) => Number(value), 10_000)
  .option('--rate <n>', 'events/s for the paced scenario', (value) => Number(value), 1_000)
  .option('--concurrency <n>', 'handler concurrency', (value) => Number(value), 16)
  .option('--nats <url>', 'NATS server', process.env.NATS_URL ?? 'nats://127.0.0.1:4222')
  .parse()
  .opts<{ events: number; rate: number; concurrency: number; nats: string }>();

const publishedAt = new Map<string, bigint>();
const latenciesMs: number[] = [];
let onAllHandled: () => void = () => undefined;

@Controller()
class BenchConsumer {
  @EventPattern(Subjects.imageNew, { concurrency: options.concurrency, prefetch: 256 })
  handle(event: ImageNewEvent) {
    const start = publishedAt.get(event.id);
    if (start === undefined) return;
    publishedAt.delete(event.id);
    latenciesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (publishedAt.size === 0) onAllHandled();
  }
}

const tag = randomUUID().slice(0, 8);
const namespace = { stream: `HYDRA_BENCH_${tag}`, subjectPrefix: `bench${tag}.` };

@Module({
  imports: [
    MessagingModule.forRoot({
      service: 'bench',
      transport: { kind: 'jetstream', servers: [options.nats], options: namespace },
    }),
  ],
  controllers: [BenchConsumer],
})
class BenchModule {}

function event(index: number) {
  const sha256 = randomUUID().replace(/-/g, '').padEnd(64, '0');
  return {
    id: randomUUID(),
    imageId: randomUUID(),
    plotType: 'FCAL_occupancy',
    runPeriod: '2026-01',
    runNumber: 100_000 + index,
    chunk: index,
    capturedAt: new Date().toISOString(),
    sha256,
    storageKey: `images/FCAL_occupancy/${100_000 + index}/${sha256}.png`,
    width: 800,
    height: 600,
  };
}

/** Publishes `count` events, at most `ratePerSecond` per second (Infinity: as fast as acks allow). */
async function scenario(name: string, publisher: EventPublisher, count: number, ratePerSecond: number) {
  latenciesMs.length = 0;
  const allHandled = new Promise<void>((resolve) => (onAllHandled = resolve));
  const started = process.hrtime.bigint();
  const inFlight = new Set<Promise<unknown>>();
  for (let index = 0; index < count; index++) {
    if (Number.isFinite(ratePerSecond)) {
      const due = started + BigInt(Math.round((index / ratePerSecond) * 1e9));
      const wait = Number(due - process.hrtime.bigint()) / 1e6;
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const payload = event(index);
    publishedAt.set(payload.id, process.hrtime.bigint());
    const publish = publisher.publish(Subjects.imageNew, payload).finally(() => inFlight.delete(publish));
    inFlight.add(publish);
    if (inFlight.size >= 256) await Promise.race(inFlight);
    if ((index + 1) % 2_000 === 0)
      process.stderr.write(`  ${name}: ${index + 1}/${count} published, ${latenciesMs.length} handled\n`);
  }
  await Promise.all(inFlight);
  await allHandled;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { name, events: count, seconds, throughput: count / seconds, ...summarize(latenciesMs) };
}

async function main() {
  const app = await NestFactory.create(BenchModule, { logger: ['error', 'warn'] });
  await startEventConsumers(app);
  await app.init();
  const publisher = app.get(EventPublisher);
  const results = [];
  try {
    await scenario('warm-up', publisher, 500, Infinity);
    results.push(await scenario('burst', publisher, options.events, Infinity));
    results.push(await scenario(`paced ${options.rate}/s`, publisher, options.events, options.rate));
  } finally {
    await app.close();
    const nats = await connect({ servers: options.nats });
    await (await jetstreamManager(nats)).streams.delete(namespace.stream);
    await nats.close();
  }
  console.log(
    `\nJetStream publish→handle, ${options.events} events per scenario, handler concurrency ${options.concurrency}`,
  );
  console.table(
    results.map((result) => ({
      scenario: result.name,
      'events/s': Math.round(result.throughput),
      'p50 ms': result.p50.toFixed(2),
      'p99 ms': result.p99.toFixed(2),
      'max ms': result.max.toFixed(2),
      seconds: result.seconds.toFixed(1),
    })),
  );
}

void main();
