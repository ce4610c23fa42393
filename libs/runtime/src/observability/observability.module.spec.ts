import { Injectable, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Counter } from 'prom-client';
import type { HealthProbe } from './health-probe';
import { ObservabilityModule } from './observability.module';

let databaseReachable = true;
let brokerNote: string | undefined;

@Injectable()
class DatabaseProbe implements HealthProbe {
  readonly name = 'database';
  async check() {
    if (!databaseReachable) throw new Error('connection refused');
  }
}

@Injectable()
class BrokerProbe implements HealthProbe {
  readonly name = 'broker';
  async check() {
    return brokerNote;
  }
}

describe('ObservabilityModule', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ObservabilityModule.forRoot({ service: 'test-service', probes: [DatabaseProbe, BrokerProbe] }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });
  afterAll(() => app.close());

  it('reports ready while every probe passes', async () => {
    databaseReachable = true;
    const response = await fetch(`${baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('answers 503 with the failing probe and its reason', async () => {
    databaseReachable = false;
    const response = await fetch(`${baseUrl}/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      status: 'error',
      error: { database: { status: 'down', message: 'connection refused' } },
    });
    expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
  });

  it('stays ready with a degraded probe, and says why', async () => {
    databaseReachable = true;
    brokerNote = 'the broker is away; 12 announcements wait';
    const response = await fetch(`${baseUrl}/health`);
    brokerNote = undefined;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      info: { broker: { status: 'up', degraded: 'the broker is away; 12 announcements wait' } },
    });
  });

  it('exposes Prometheus metrics labelled with the service', async () => {
    new Counter({ name: 'hydra_test_events_total', help: 'events seen by the test' }).inc(3);
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('hydra_test_events_total{service="test-service"} 3');
  });
});
